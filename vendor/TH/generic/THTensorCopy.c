/* generic/THTensorCopy.c: copies into a tensor of this type from every type. The two tensors
 * must have the same number of elements; shapes may differ (elements go in order). */
#ifndef TH_GENERIC_FILE
#error "include through THTensor.c"
#endif

void THTensor_(copy)(THTensor *tensor, THTensor *src)
{
  ptrdiff_t n = THTensor_(nElement)(tensor);
  THArgCheck(n == THTensor_(nElement)(src), 2, "sizes do not match: %td vs %td elements", n,
             THTensor_(nElement)(src));
  if (n == 0) return;
  if (THTensor_(isContiguous)(tensor) && THTensor_(isContiguous)(src)) {
    real *d = THTensor_(data)(tensor), *s = THTensor_(data)(src);
    if (d != s) memmove(d, s, sizeof(real) * (size_t)n);
    return;
  }
  TH_TENSOR_APPLY2(real, tensor, real, src, *tensor_data = *src_data;);
}

#define TH_TENSOR_COPY_FROM(SRC, SRC_T, TO_NUM)                                           \
  void THTensor_(copy##SRC)(THTensor *tensor, TH##SRC##Tensor *src)                       \
  {                                                                                       \
    ptrdiff_t n = THTensor_(nElement)(tensor);                                            \
    THArgCheck(n == TH##SRC##Tensor_nElement(src), 2,                                     \
               "sizes do not match: %td vs %td elements", n, TH##SRC##Tensor_nElement(src)); \
    TH_TENSOR_APPLY2(real, tensor, SRC_T, src, *tensor_data = THNumToReal(TO_NUM(*src_data));); \
  }

TH_TENSOR_COPY_FROM(Byte, unsigned char, )
TH_TENSOR_COPY_FROM(Char, char, )
TH_TENSOR_COPY_FROM(Short, short, )
TH_TENSOR_COPY_FROM(Int, int, )
TH_TENSOR_COPY_FROM(Long, long, )
TH_TENSOR_COPY_FROM(Float, float, )
TH_TENSOR_COPY_FROM(Double, double, )
TH_TENSOR_COPY_FROM(Half, THHalf, TH_half2float)

#undef TH_TENSOR_COPY_FROM
