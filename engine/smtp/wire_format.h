#pragma once
// The message as it goes on the wire after DATA: RFC 5321 §2.3.8 (only CRLF ends a
// line), §4.5.2 (transparency: a line starting with "." gets another) and §4.1.1.4
// (CRLF "." CRLF ends the data).

#include <string>
#include <string_view>

namespace b2bmail::smtp {

// Appends to `out` `data` with bare LF and bare CR turned into CRLF, a final CRLF added
// when missing, leading dots doubled, and ".\r\n". One pass, no intermediate copy.
void AppendWire(std::string& out, std::string_view data);

// True when every byte is below 0x80.
bool IsAscii(std::string_view s);

// The header section of a message (up to the first empty line).
std::string_view HeaderSection(std::string_view data);

}  // namespace b2bmail::smtp
