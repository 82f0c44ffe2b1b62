/* generic/THCTensor.c: device tensors. What only a device tensor has (its device, one element
 * moved between host and device, cutorch's size text) is here; construction, geometry, views,
 * resize/set, predicates and lifetime are libTH's generic/THTensor.c, included below with TH's
 * names turned into THC's for its length: the same rules, with the state first (THCTensor.c sets
 * the hooks). Dimensions are 0-based; a bad dimension or index is an IndexError, any other bad
 * argument a ValueError, raised before anything changes. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensor.c"
#endif

int THCTensor_(getDevice)(THCState *state, const THCTensor *self)
{
  return self->storage ? self->storage->device : -1;
}

THCDescBuff THCTensor_(sizeDesc)(THCState *state, const THCTensor *tensor)
{
  THCDescBuff buf;
  int n = snprintf(buf.str, THC_DESC_BUFF_LEN, "[");
  for (int d = 0; d < tensor->nDimension && n >= 0 && n < THC_DESC_BUFF_LEN; d++)
    n += snprintf(buf.str + n, (size_t)(THC_DESC_BUFF_LEN - n), "%s%ld", d ? " x " : "",
                  tensor->size[d]);
  if (n >= 0 && n < THC_DESC_BUFF_LEN) snprintf(buf.str + n, (size_t)(THC_DESC_BUFF_LEN - n), "]");
  return buf;
}

/* THT_STORE / THT_LOAD: one element moved between host and device */
static void THCTensor_(storeElement)(real *element, real value)
{
  THCudaCheck(cudaMemcpy(element, &value, sizeof(real), cudaMemcpyHostToDevice));
}

static real THCTensor_(loadElement)(const real *element)
{
  real value;
  THCudaCheck(cudaMemcpy(&value, element, sizeof(real), cudaMemcpyDeviceToHost));
  return value;
}

#pragma push_macro("THTensor")
#pragma push_macro("THTensor_")
#pragma push_macro("THStorage")
#pragma push_macro("THStorage_")
#pragma push_macro("THArgCheck")
#pragma push_macro("THIndexCheck")
#pragma push_macro("THAlloc")
#pragma push_macro("THRealloc")
#pragma push_macro("THFree")
#undef THTensor
#undef THTensor_
#undef THStorage
#undef THStorage_
#undef THArgCheck
#undef THIndexCheck
#define THTensor THCTensor
#define THTensor_(NAME) THCTensor_(NAME)
#define THStorage THCStorage
#define THStorage_(NAME) THCStorage_(NAME)
#define THArgCheck THCArgCheck
#define THIndexCheck THCIndexCheck
#define THAlloc(SIZE) THC_hostAlloc((size_t)(SIZE))
#define THRealloc(PTR, SIZE) THC_hostRealloc((PTR), (size_t)(SIZE))
#define THFree free
#include "generic/THTensor.c"
#pragma pop_macro("THTensor")
#pragma pop_macro("THTensor_")
#pragma pop_macro("THStorage")
#pragma pop_macro("THStorage_")
#pragma pop_macro("THArgCheck")
#pragma pop_macro("THIndexCheck")
#pragma pop_macro("THAlloc")
#pragma pop_macro("THRealloc")
#pragma pop_macro("THFree")

ptrdiff_t THCTensor_(numel)(THCState *state, THCTensor *t)
{
  return THCTensor_(nElement)(state, t);
}
