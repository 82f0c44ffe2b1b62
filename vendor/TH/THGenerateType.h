/* THGenerateType: instantiates TH_GENERIC_FILE for the element type numbered TH_GEN_TYPE.
 * Each instantiation sees: real, accreal, Real (the name pasted into symbols), the predicates
 * TH_REAL_IS_<TYPE>, TH_REAL_IS_INTEGER / TH_REAL_IS_FLOATING / TH_REAL_IS_SIGNED, and
 * THNumToReal / THRealToNum, which move between real and plain C arithmetic (they differ from a
 * cast only for Half). ureal and uaccreal are the types integer arithmetic is done in so that
 * overflow wraps around (as upstream's does in practice) instead of being undefined. Include through THGenerateAllTypes.h and its siblings. */

/* A build may split a wrapper (THTensorMath.c, ...) into one translation unit per type, compiled in
 * parallel: it defines TH_GEN_ONLY to the one type number that unit instantiates (CMakeLists.txt,
 * TH_SPLIT_SOURCES). Without TH_GEN_ONLY every type is instantiated, as usual. */
#if !defined(TH_GEN_ONLY) || TH_GEN_ONLY == TH_GEN_TYPE
#if TH_GEN_TYPE == 0
#define real unsigned char
#define accreal long
#define Real Byte
#define ureal unsigned int
#define uaccreal unsigned long
#define TH_REAL_IS_BYTE
#define TH_REAL_IS_INTEGER
#define TH_REAL_MIN 0
#define TH_REAL_MAX UCHAR_MAX
#elif TH_GEN_TYPE == 1
#define real char
#define accreal long
#define Real Char
#define ureal unsigned int
#define uaccreal unsigned long
#define TH_REAL_IS_CHAR
#define TH_REAL_IS_INTEGER
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN CHAR_MIN
#define TH_REAL_MAX CHAR_MAX
#elif TH_GEN_TYPE == 2
#define real short
#define accreal long
#define Real Short
#define ureal unsigned int
#define uaccreal unsigned long
#define TH_REAL_IS_SHORT
#define TH_REAL_IS_INTEGER
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN SHRT_MIN
#define TH_REAL_MAX SHRT_MAX
#elif TH_GEN_TYPE == 3
#define real int
#define accreal long
#define Real Int
#define ureal unsigned int
#define uaccreal unsigned long
#define TH_REAL_IS_INT
#define TH_REAL_IS_INTEGER
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN INT_MIN
#define TH_REAL_MAX INT_MAX
#elif TH_GEN_TYPE == 4
#define real long
#define accreal long
#define Real Long
#define ureal unsigned long
#define uaccreal unsigned long
#define TH_REAL_IS_LONG
#define TH_REAL_IS_INTEGER
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN LONG_MIN
#define TH_REAL_MAX LONG_MAX
#elif TH_GEN_TYPE == 5
#define real float
#define accreal double
#define Real Float
#define ureal float
#define uaccreal double
#define TH_REAL_IS_FLOAT
#define TH_REAL_IS_FLOATING
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN (-HUGE_VALF)
#define TH_REAL_MAX HUGE_VALF
#elif TH_GEN_TYPE == 6
#define real double
#define accreal double
#define Real Double
#define ureal double
#define uaccreal double
#define TH_REAL_IS_DOUBLE
#define TH_REAL_IS_FLOATING
#define TH_REAL_IS_SIGNED
#define TH_REAL_MIN (-HUGE_VAL)
#define TH_REAL_MAX HUGE_VAL
#elif TH_GEN_TYPE == 7
#define real THHalf
#define accreal float
#define Real Half
#define ureal float
#define uaccreal float
#define TH_REAL_IS_HALF
#define TH_REAL_IS_SIGNED
#endif

#ifdef TH_REAL_IS_HALF
#define THNumToReal(x) TH_float2half((float)(x))
#define THRealToNum(x) TH_half2float(x)
#else
#define THNumToReal(x) ((real)(x))
#define THRealToNum(x) (x)
#endif

#include TH_GENERIC_FILE

#undef real
#undef ureal
#undef uaccreal
#undef accreal
#undef Real
#undef TH_REAL_IS_BYTE
#undef TH_REAL_IS_CHAR
#undef TH_REAL_IS_SHORT
#undef TH_REAL_IS_INT
#undef TH_REAL_IS_LONG
#undef TH_REAL_IS_FLOAT
#undef TH_REAL_IS_DOUBLE
#undef TH_REAL_IS_HALF
#undef TH_REAL_IS_INTEGER
#undef TH_REAL_IS_FLOATING
#undef TH_REAL_IS_SIGNED
#undef TH_REAL_MIN
#undef TH_REAL_MAX
#undef THNumToReal
#undef THRealToNum

#endif /* TH_GEN_ONLY */
