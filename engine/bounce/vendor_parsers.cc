// The vendor readers, in the order ParseBounce tries them (vendor_parsers.h): providers
// and gateways first, which know their mail by its sender, then MTAs' text layouts.
#include "vendor_parsers.h"

namespace b2bmail::bounce {

// --- readers of MTAs' text formats (declared and defined in vendor_<name>.cc) ---
bool ParseQmail(const BounceMessage& message, BounceReport& report);
bool ParseExim(const BounceMessage& message, BounceReport& report);
bool ParseDragonfly(const BounceMessage& message, BounceReport& report);
bool ParseOpenSmtpd(const BounceMessage& message, BounceReport& report);
bool ParsePostfix(const BounceMessage& message, BounceReport& report);
bool ParseSendmail(const BounceMessage& message, BounceReport& report);
bool ParseX2(const BounceMessage& message, BounceReport& report);
bool ParseX3(const BounceMessage& message, BounceReport& report);
bool ParseX6(const BounceMessage& message, BounceReport& report);
bool ParseMailFoundry(const BounceMessage& message, BounceReport& report);
bool ParseMFilter(const BounceMessage& message, BounceReport& report);
bool ParseMailMarshal(const BounceMessage& message, BounceReport& report);
bool ParseEzweb(const BounceMessage& message, BounceReport& report);
bool ParseKddi(const BounceMessage& message, BounceReport& report);
bool ParseApacheJames(const BounceMessage& message, BounceReport& report);
bool ParseFml(const BounceMessage& message, BounceReport& report);
bool ParseImail(const BounceMessage& message, BounceReport& report);

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

// A plain array: each section can grow without editing a shared count.
constexpr VendorEntry kVendors[] = {
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

    // --- RFC 3464 fields in text (bounce_parser.cc) ---
    {"rfc3464-text", ParseRfc3464Text},

    // --- MTAs' text formats ---
    {"qmail", ParseQmail},
    {"exim", ParseExim},
    {"dragonfly", ParseDragonfly},
    {"opensmtpd", ParseOpenSmtpd},
    {"postfix", ParsePostfix},
    {"sendmail", ParseSendmail},
    {"x2", ParseX2},
    {"x3", ParseX3},
    {"x6", ParseX6},
    {"mailfoundry", ParseMailFoundry},
    {"mfilter", ParseMFilter},
    {"mailmarshal", ParseMailMarshal},
    {"ezweb", ParseEzweb},
    {"kddi", ParseKddi},
    {"apachejames", ParseApacheJames},
    {"fml", ParseFml},
    {"imail", ParseImail},
};

}  // namespace

std::span<const VendorEntry> VendorParsers() { return kVendors; }

}  // namespace b2bmail::bounce
