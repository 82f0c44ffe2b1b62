/* generic/THTensorLapack.h: declarations (filled in by the issue-3 work). */
