/* generic/THLapack.c (filled in by the issue-3 work). */
#ifndef TH_GENERIC_FILE
#error "include through THLapack.c"
#endif
