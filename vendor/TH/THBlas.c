#include <limits.h>
#include "THBlas.h"
#include "THBlasExtern.h"

const char *THBlas_name(void)
{
#ifdef TH_HAVE_BLAS
  return TH_OPENBLAS(get_config)();
#else
  return "none (plain loops)";
#endif
}

void THBlas_setNumThreads(int n)
{
#ifdef TH_HAVE_BLAS
  TH_OPENBLAS(set_num_threads)(n);
#else
  (void)n;
#endif
}

/* BLAS takes int sizes: larger problems fall back to the loops. */
#define TH_FITS_INT(x) ((x) <= INT_MAX && (x) >= INT_MIN)

#define TH_GENERIC_FILE "generic/THBlas.c"
#include "THGenerateAllTypes.h"
#undef TH_GENERIC_FILE
