/* generic/THCTensorMath.cu: fills and pointwise math of one type (see generic/THCTensorMath.h).
 * Every function checks its arguments, resizes its result, then runs one apply kernel. */
#ifndef THC_GENERIC_FILE
#error "include through THCTensorMath.cu"
#endif

static THCInfo THCTensor_(info)(THCTensor *t)
{
  return THC_info(t->nDimension, t->size, t->stride);
}

static real *THCTensor_(ptr)(THCTensor *t)
{
  return t->storage ? t->storage->data + t->storageOffset : NULL;
}

static void THCTensor_(checkSameNumel)(THCState *state, THCTensor *a, THCTensor *b, int arg)
{
  THCArgCheck(THCTensor_(nElement)(state, a) == THCTensor_(nElement)(state, b), arg,
              "inconsistent tensor size: %td vs %td elements", THCTensor_(nElement)(state, a),
              THCTensor_(nElement)(state, b));
}

void THCTensor_(fill)(THCState *state, THCTensor *self, real value)
{
  THCFillOp<real> op = {value};
  THCudaCheck(THC_apply1(THCTensor_(ptr)(self), THCTensor_(info)(self),
                         (long)THCTensor_(nElement)(state, self), op));
}

void THCTensor_(zero)(THCState *state, THCTensor *self)
{
  THCTensor_(fill)(state, self, (real)0);
}

void THCStorage_(fill)(THCState *state, THCStorage *storage, real value)
{
  (void)state;
  THCFillOp<real> op = {value};
  THCudaCheck(THC_apply1(storage->data, THC_info1d((long)storage->size, 1), (long)storage->size, op));
}

/* self = f(src) elementwise, with the scalar value. */
static void THCTensor_(unary)(THCState *state, THCTensor *self, THCTensor *src, int op, real value)
{
  THCTensor_(resizeAs)(state, self, src);
  THCUnaryOp<real> f = {op, value};
  THCudaCheck(THC_apply2(THCTensor_(ptr)(self), THCTensor_(info)(self),
                         (const real *)THCTensor_(ptr)(src), THCTensor_(info)(src),
                         (long)THCTensor_(nElement)(state, src), f));
}

void THCTensor_(add)(THCState *state, THCTensor *self, THCTensor *src, real value)
{
  THCTensor_(unary)(state, self, src, THC_U_ADD, value);
}

void THCTensor_(sub)(THCState *state, THCTensor *self, THCTensor *src, real value)
{
  THCTensor_(unary)(state, self, src, THC_U_ADD, thc_neg(value));
}

void THCTensor_(mul)(THCState *state, THCTensor *self, THCTensor *src, real value)
{
  THCTensor_(unary)(state, self, src, THC_U_MUL, value);
}

void THCTensor_(div)(THCState *state, THCTensor *self, THCTensor *src, real value)
{
#ifdef THC_REAL_IS_INTEGER
  THCArgCheck(value != 0, 4, "division by zero");
#endif
  THCTensor_(unary)(state, self, src, THC_U_DIV, value);
}

void THCTensor_(neg)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_NEG, 0);
}

void THCTensor_(abs)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_ABS, 0);
}

#if defined(THC_REAL_IS_FLOAT) || defined(THC_REAL_IS_DOUBLE)
void THCTensor_(exp)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_EXP, 0);
}

void THCTensor_(log)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_LOG, 0);
}

void THCTensor_(sqrt)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_SQRT, 0);
}

void THCTensor_(sigmoid)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_SIGMOID, 0);
}

void THCTensor_(tanh)(THCState *state, THCTensor *self, THCTensor *src)
{
  THCTensor_(unary)(state, self, src, THC_U_TANH, 0);
}

void THCTensor_(pow)(THCState *state, THCTensor *self, THCTensor *src, real value)
{
  THCTensor_(unary)(state, self, src, THC_U_POW, value);
}
#endif

/* self = f(src1, src2) elementwise. */
static void THCTensor_(binary)(THCState *state, THCTensor *self, THCTensor *src1, THCTensor *src2,
                               int op, real value, int arg2)
{
  THCTensor_(checkSameNumel)(state, src1, src2, arg2);
  THCTensor_(resizeAs)(state, self, src1);
  THCBinaryOp<real> f = {op, value};
  THCudaCheck(THC_apply3(THCTensor_(ptr)(self), THCTensor_(info)(self),
                         (const real *)THCTensor_(ptr)(src1), THCTensor_(info)(src1),
                         (const real *)THCTensor_(ptr)(src2), THCTensor_(info)(src2),
                         (long)THCTensor_(nElement)(state, src1), f));
}

void THCTensor_(cadd)(THCState *state, THCTensor *self, THCTensor *src1, real value, THCTensor *src2)
{
  THCTensor_(binary)(state, self, src1, src2, THC_B_CADD, value, 5);
}

void THCTensor_(csub)(THCState *state, THCTensor *self, THCTensor *src1, real value, THCTensor *src2)
{
  THCTensor_(binary)(state, self, src1, src2, THC_B_CADD, thc_neg(value), 5);
}

void THCTensor_(cmul)(THCState *state, THCTensor *self, THCTensor *src1, THCTensor *src2)
{
  THCTensor_(binary)(state, self, src1, src2, THC_B_CMUL, 0, 4);
}

void THCTensor_(cdiv)(THCState *state, THCTensor *self, THCTensor *src1, THCTensor *src2)
{
#ifdef THC_REAL_IS_INTEGER
  /* checked before anything is written: an error leaves self untouched */
  THCTensor_(checkSameNumel)(state, src1, src2, 4);
  THCInfo i2 = THCTensor_(info)(src2);
  long zeros = THC_reduceAll<real, long>(state, (const real *)THCTensor_(ptr)(src2), i2, NULL, i2,
                                         (long)THCTensor_(nElement)(state, src2), THC_R_COUNTZERO);
  THCArgCheck(zeros == 0, 4, "division by zero");
#endif
  THCTensor_(binary)(state, self, src1, src2, THC_B_CDIV, 0, 4);
}
