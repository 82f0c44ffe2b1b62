/* generic/THVector.c: contiguous kernels for one type. Integer arithmetic goes through ureal
 * so that overflow wraps; integer division by zero is the caller's check (THTensorMath). */
#ifndef TH_GENERIC_FILE
#error "include through THVector.c"
#endif

TH_SIMD_CLONES void THVector_(fill)(real *x, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) x[i] = c;
}

TH_SIMD_CLONES void THVector_(cadd)(real *z, const real *x, const real *y, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) z[i] = (real)((ureal)x[i] + (ureal)c * (ureal)y[i]);
}

TH_SIMD_CLONES void THVector_(adds)(real *y, const real *x, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) y[i] = (real)((ureal)x[i] + (ureal)c);
}

TH_SIMD_CLONES void THVector_(cmul)(real *z, const real *x, const real *y, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) z[i] = (real)((ureal)x[i] * (ureal)y[i]);
}

TH_SIMD_CLONES void THVector_(muls)(real *y, const real *x, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) y[i] = (real)((ureal)x[i] * (ureal)c);
}

#ifdef TH_REAL_IS_FLOATING
TH_SIMD_CLONES void THVector_(cdiv)(real *z, const real *x, const real *y, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) z[i] = x[i] / y[i];
}

TH_SIMD_CLONES void THVector_(divs)(real *y, const real *x, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i] / c;
}
#else
/* x / -1 is negation done in ureal: INT_MIN / -1 would trap. */
#ifdef TH_REAL_IS_BYTE
#define TH_IDIV(a, b) ((real)((a) / (b)))
#else
#define TH_IDIV(a, b) ((b) == -1 ? (real)(0 - (ureal)(a)) : (real)((a) / (b)))
#endif

void THVector_(cdiv)(real *z, const real *x, const real *y, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) z[i] = TH_IDIV(x[i], y[i]);
}

void THVector_(divs)(real *y, const real *x, const real c, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) y[i] = TH_IDIV(x[i], c);
}
#undef TH_IDIV
#endif

TH_SIMD_CLONES void THVector_(copy)(real *y, const real *x, const ptrdiff_t n)
{
  for (ptrdiff_t i = 0; i < n; i++) y[i] = x[i];
}

/* Dispatch happens when the library loads (ifunc); kept for API compatibility. */
void THVector_(vectorDispatchInit)(void)
{
}
