// The vendor readers, in the order ParseBounce tries them (vendor_parsers.h).
#include "vendor_parsers.h"

#include <array>

namespace b2bmail::bounce {

// --- readers of MTAs' text formats (declared and defined in vendor_<name>.cc) ---

// --- readers of providers' and gateways' formats, other languages ---
bool ParseAmazonSes(const BounceMessage& message, BounceReport& report);
bool ParseAmazonWorkMail(const BounceMessage& message, BounceReport& report);
bool ParseGoogleGroups(const BounceMessage& message, BounceReport& report);
bool ParseGmail(const BounceMessage& message, BounceReport& report);
bool ParseYahoo(const BounceMessage& message, BounceReport& report);
bool ParseMailRu(const BounceMessage& message, BounceReport& report);
bool ParseGmx(const BounceMessage& message, BounceReport& report);
bool ParseExchange2003(const BounceMessage& message, BounceReport& report);
bool ParseZoho(const BounceMessage& message, BounceReport& report);
bool ParseExchange2007(const BounceMessage& message, BounceReport& report);
bool ParseNotes(const BounceMessage& message, BounceReport& report);
bool ParseDomino(const BounceMessage& message, BounceReport& report);
bool ParseTrendMicro(const BounceMessage& message, BounceReport& report);
bool ParseMimecast(const BounceMessage& message, BounceReport& report);
bool ParseVerizon(const BounceMessage& message, BounceReport& report);

namespace {

constexpr std::array<VendorEntry, 15> kVendors{{
    // --- MTAs' text formats ---

    // --- providers, gateways, other languages ---
    {"amazonses", ParseAmazonSes},
    {"amazonworkmail", ParseAmazonWorkMail},
    {"googlegroups", ParseGoogleGroups},
    {"gmail", ParseGmail},
    {"yahoo", ParseYahoo},
    {"mailru", ParseMailRu},
    {"gmx", ParseGmx},
    {"exchange2003", ParseExchange2003},
    {"zoho", ParseZoho},
    {"exchange2007", ParseExchange2007},
    {"notes", ParseNotes},
    {"domino", ParseDomino},
    {"trendmicro", ParseTrendMicro},
    {"mimecast", ParseMimecast},
    {"verizon", ParseVerizon},

}};

}  // namespace

std::span<const VendorEntry> VendorParsers() { return kVendors; }

}  // namespace b2bmail::bounce
