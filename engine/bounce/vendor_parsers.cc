// The vendor readers, in the order ParseBounce tries them (vendor_parsers.h).
#include "vendor_parsers.h"

#include <array>

namespace b2bmail::bounce {

// --- readers of MTAs' text formats (declared and defined in vendor_<name>.cc) ---

// --- readers of providers' and gateways' formats, other languages ---

namespace {

constexpr std::array<VendorEntry, 0> kVendors{{
    // --- MTAs' text formats ---

    // --- providers, gateways, other languages ---

}};

}  // namespace

std::span<const VendorEntry> VendorParsers() { return kVendors; }

}  // namespace b2bmail::bounce
