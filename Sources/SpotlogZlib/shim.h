// zlib, for its fast CRC-32 (ZIPFoundation's own is a byte-at-a-time table on Linux).
#include <zlib.h>
