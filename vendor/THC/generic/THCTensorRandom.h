/* generic/THCTensorRandom.h: random fills of one type (in place, any layout). */
THC_API void THCTensor_(uniform)(THCState *state, THCTensor *self, double a, double b);
THC_API void THCTensor_(normal)(THCState *state, THCTensor *self, double mean, double stdv);
