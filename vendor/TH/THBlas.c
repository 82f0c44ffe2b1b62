#include <limits.h>
#include "THBlas.h"
#include "THBlasExtern.h"

const char *THBlas_name(void)
{
#if defined(TH_HAVE_BLAS) && defined(TH_BLAS_NO_OPENBLAS_API)
  return "CBLAS (system BLAS, not OpenBLAS)";
#elif defined(TH_HAVE_BLAS)
  return TH_OPENBLAS(get_config)();
#else
  return "none (plain loops)";
#endif
}

void THBlas_setNumThreads(int n)
{
#if defined(TH_HAVE_BLAS) && !defined(TH_BLAS_NO_OPENBLAS_API)
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
