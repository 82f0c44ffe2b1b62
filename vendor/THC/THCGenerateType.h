/* THCGenerateType: instantiates THC_GENERIC_FILE for the element type numbered THC_GEN_TYPE (the
 * numbering of TH's THGenerateType.h). Each instantiation sees: real and accreal (on the GPU the
 * accumulation type of float is float), Real (the CPU name, so that THTensor is the CPU tensor
 * of the same type: THFloatTensor), CReal (the CUDA name: THCTensor is THCudaTensor for float,
 * THCudaDoubleTensor ...), the predicates THC_REAL_IS_<TYPE>, THC_REAL_IS_INTEGER /
 * THC_REAL_IS_FLOATING, and ureal, the type integer arithmetic wraps around in. Include through
 * THCGenerateAllTypes.h. */
#if THC_GEN_TYPE == 3
#define real int
#define accreal long
#define ureal unsigned int
#define Real Int
#define CReal CudaInt
#define THC_REAL_IS_INT
#define THC_REAL_IS_INTEGER
#elif THC_GEN_TYPE == 4
#define real long
#define accreal long
#define ureal unsigned long
#define Real Long
#define CReal CudaLong
#define THC_REAL_IS_LONG
#define THC_REAL_IS_INTEGER
#elif THC_GEN_TYPE == 5
#define real float
#define accreal float
#define ureal float
#define Real Float
#define CReal Cuda
#define THC_REAL_IS_FLOAT
#define THC_REAL_IS_FLOATING
#elif THC_GEN_TYPE == 6
#define real double
#define accreal double
#define ureal double
#define Real Double
#define CReal CudaDouble
#define THC_REAL_IS_DOUBLE
#define THC_REAL_IS_FLOATING
#else
#error "THC_GEN_TYPE: not a type libTHC is built for"
#endif

#include THC_GENERIC_FILE

#undef real
#undef accreal
#undef ureal
#undef Real
#undef CReal
#undef THC_REAL_IS_INT
#undef THC_REAL_IS_LONG
#undef THC_REAL_IS_FLOAT
#undef THC_REAL_IS_DOUBLE
#undef THC_REAL_IS_INTEGER
#undef THC_REAL_IS_FLOATING
