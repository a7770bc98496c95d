/* A stand-in for Windows' bcryptprimitives.dll, for Wine 8 (Debian 12), which lacks it.
   Go programs for Windows (Go 1.24 and later) take their random numbers from its
   ProcessPrng, present on Windows 10 and 11; here it asks RtlGenRandom, which Wine has.
   Built by .ci/wine/run with Debian's MinGW-w64; never shipped with albo. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) {
            return FALSE;
        }
        data += n;
        len -= n;
    }
    return TRUE;
}
