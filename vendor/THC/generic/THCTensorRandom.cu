/* generic/THCTensorRandom.cu: uniform and normal fills of one type. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensorRandom.cu"
#endif

static void THCTensor_(randomFill)(THCState *state, THCTensor *self, int kind, double p0, double p1)
{
  ptrdiff_t n = THCTensor_(nElement)(state, self);
  if (n == 0) return;
  unsigned long long seed, offset;
  THC_rngNext(state, &seed, &offset);
  THCInfo io = THC_info(self->nDimension, self->size, self->stride);
  THC_randomKernel<real><<<THC_blocks((long)n), THC_THREADS>>>(
      self->storage->data + self->storageOffset, io, (long)n, kind, p0, p1, seed, offset);
  THCudaCheck(cudaGetLastError());
}

void THCTensor_(uniform)(THCState *state, THCTensor *self, double a, double b)
{
  THCArgCheck(a <= b, 4, "the interval [a, b) is empty: a = %g > b = %g", a, b);
  THCTensor_(randomFill)(state, self, THC_RNG_UNIFORM, a, b);
}

void THCTensor_(normal)(THCState *state, THCTensor *self, double mean, double stdv)
{
  THCArgCheck(stdv > 0, 4, "standard deviation must be strictly positive, but got %g", stdv);
  THCTensor_(randomFill)(state, self, THC_RNG_NORMAL, mean, stdv);
}
