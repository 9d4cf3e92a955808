#pragma once
// Auto-replies are not bounces (RFC 3834 Auto-Submitted, and the headers and subjects
// vacation programs and Exchange use): a bounce parser that counts an out-of-office as a
// soft bounce ends up suppressing people who were on holiday.

#include "b2bmail/mime/mime_parser.h"

namespace b2bmail::bounce {

// True for an out-of-office, vacation or challenge-response message.
bool IsAutoReply(const mime::MimePart& message);

}  // namespace b2bmail::bounce
