/* generic/THCTensorBlas.cu: dot, addmv and addmm of one type (libTH's argument rules). */
#ifndef THC_GENERIC_FILE
#error "include through THCTensorBlas.cu"
#endif

#if defined(THC_HAVE_CUBLAS) && (defined(THC_REAL_IS_FLOAT) || defined(THC_REAL_IS_DOUBLE))
#define THC_USE_CUBLAS 1
#else
#define THC_USE_CUBLAS 0
#endif

static real *THCTensor_(bptr)(THCTensor *t)
{
  return t->storage ? t->storage->data + t->storageOffset : NULL;
}

/* Sums in accreal; through cuBLAS when both operands are evenly strided vectors. */
accreal THCTensor_(dot)(THCState *state, THCTensor *self, THCTensor *src)
{
  ptrdiff_t n = THCTensor_(nElement)(state, self);
  THCArgCheck(n == THCTensor_(nElement)(state, src), 3,
              "inconsistent tensor size: %td vs %td elements", n, THCTensor_(nElement)(state, src));
  if (n == 0) return 0;
  THCInfo a = THC_info(self->nDimension, self->size, self->stride);
  THCInfo b = THC_info(src->nDimension, src->size, src->stride);
#if THC_USE_CUBLAS
  if (a.dims == 1 && b.dims == 1 && n <= INT_MAX && a.strides[0] > 0 && b.strides[0] > 0 &&
      a.strides[0] <= INT_MAX && b.strides[0] <= INT_MAX)
    return THC_cublasDot((cublasHandle_t)THC_blasHandle(state), (int)n, THCTensor_(bptr)(self),
                         (int)a.strides[0], THCTensor_(bptr)(src), (int)b.strides[0]);
#endif
  return THC_reduceAll<real, accreal>(state, THCTensor_(bptr)(self), a, THCTensor_(bptr)(src), b,
                                      (long)n, THC_R_DOT);
}

/* self = beta t + alpha mat vec */
void THCTensor_(addmv)(THCState *state, THCTensor *self, real beta, THCTensor *t, real alpha,
                       THCTensor *mat, THCTensor *vec)
{
  THCArgCheck(mat->nDimension == 2 && vec->nDimension == 1, 6,
              "matrix and vector expected, got %dD, %dD", mat->nDimension, vec->nDimension);
  THCArgCheck(mat->size[1] == vec->size[0], 7, "size mismatch: %ld columns, vector of %ld",
              mat->size[1], vec->size[0]);
  THCArgCheck(t->nDimension == 1 && t->size[0] == mat->size[0], 4,
              "size mismatch: vector of %ld expected for t", mat->size[0]);
  if (self != t) {
    THCTensor_(resizeAs)(state, self, t);
    if (beta != 0) THCTensor_(copy)(state, self, t);
  }
  long m = mat->size[0], n = mat->size[1];
#if THC_USE_CUBLAS
  long ld = 0;
  char op = THC_blasLayout(m, n, mat->stride[0], mat->stride[1], 'n', &ld);
  if (op && vec->stride[0] > 0 && self->stride[0] > 0 && m <= INT_MAX && n <= INT_MAX &&
      ld <= INT_MAX && vec->stride[0] <= INT_MAX && self->stride[0] <= INT_MAX) {
    /* op 'n': the memory is mat (m x n); op 't': it is mat^T, stored n x m */
    int rows = (int)(op == 'n' ? m : n), cols = (int)(op == 'n' ? n : m);
    THC_cublasGemv((cublasHandle_t)THC_blasHandle(state), THC_cublasOp(op), rows, cols, &alpha,
                   THCTensor_(bptr)(mat), (int)ld, THCTensor_(bptr)(vec), (int)vec->stride[0], &beta,
                   THCTensor_(bptr)(self), (int)self->stride[0]);
    return;
  }
#endif
  THCudaCheck((THC_gemv<real, accreal>(m, n, alpha, THCTensor_(bptr)(mat), mat->stride[0],
                                       mat->stride[1], THCTensor_(bptr)(vec), vec->stride[0], beta,
                                       THCTensor_(bptr)(self), self->stride[0])));
}

/* self = beta t + alpha mat1 mat2 */
void THCTensor_(addmm)(THCState *state, THCTensor *self, real beta, THCTensor *t, real alpha,
                       THCTensor *m1, THCTensor *m2)
{
  THCArgCheck(m1->nDimension == 2 && m2->nDimension == 2, 6, "matrices expected, got %dD, %dD tensors",
              m1->nDimension, m2->nDimension);
  THCArgCheck(m1->size[1] == m2->size[0], 7, "size mismatch, m1: %ldx%ld, m2: %ldx%ld", m1->size[0],
              m1->size[1], m2->size[0], m2->size[1]);
  THCArgCheck(t->nDimension == 2 && t->size[0] == m1->size[0] && t->size[1] == m2->size[1], 4,
              "size mismatch: t must be %ldx%ld", m1->size[0], m2->size[1]);
  if (self != t) {
    THCTensor_(resizeAs)(state, self, t);
    if (beta != 0) THCTensor_(copy)(state, self, t);
  }
  long m = m1->size[0], n = m2->size[1], k = m1->size[1];
#if THC_USE_CUBLAS
  /* Column-major gemm computes self when self is column-major, else self^T = m2^T m1^T. */
  long ldc = 0, lda = 0, ldb = 0;
  char lc = THC_blasLayout(m, n, self->stride[0], self->stride[1], 'n', &ldc);
  if (lc) {
    int swap = lc == 't';
    THCTensor *a = swap ? m2 : m1, *b = swap ? m1 : m2;
    char want = swap ? 't' : 'n';
    char ta = THC_blasLayout(a->size[0], a->size[1], a->stride[0], a->stride[1], want, &lda);
    char tb = THC_blasLayout(b->size[0], b->size[1], b->stride[0], b->stride[1], want, &ldb);
    long M = swap ? n : m, N = swap ? m : n;
    if (ta && tb && M <= INT_MAX && N <= INT_MAX && k <= INT_MAX && lda <= INT_MAX &&
        ldb <= INT_MAX && ldc <= INT_MAX) {
      THC_cublasGemm((cublasHandle_t)THC_blasHandle(state), THC_cublasOp(ta), THC_cublasOp(tb),
                     (int)M, (int)N, (int)k, &alpha, THCTensor_(bptr)(a), (int)lda,
                     THCTensor_(bptr)(b), (int)ldb, &beta, THCTensor_(bptr)(self), (int)ldc);
      return;
    }
  }
#endif
  THCudaCheck((THC_gemm<real, accreal>(m, n, k, alpha, THCTensor_(bptr)(m1), m1->stride[0],
                                       m1->stride[1], THCTensor_(bptr)(m2), m2->stride[0],
                                       m2->stride[1], beta, THCTensor_(bptr)(self), self->stride[0],
                                       self->stride[1])));
}

#undef THC_USE_CUBLAS
