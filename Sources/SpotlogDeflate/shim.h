// libdeflate, for its CRC-32: it uses the CPU's carry-less multiply, about 30 times faster than
// zlib's table-driven one, which cost 5% of an import's time (ZIPFoundation's own CRC-32 is
// slower still on Linux, so entries are extracted without it and checked here).
#include <libdeflate.h>
