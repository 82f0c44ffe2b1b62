/* THAtomic: one definition per operation, stamped out for each integer type. Add returns the
 * old value and CompareAndSwap returns 1 on success, as upstream. */
#include "THAtomic.h"

#define TH_ATOMIC_FAMILY(T, SUFFIX)                                                 \
  void THAtomicSet##SUFFIX(T volatile *a, T newvalue)                               \
  {                                                                                 \
    __atomic_store_n(a, newvalue, __ATOMIC_SEQ_CST);                                \
  }                                                                                 \
  T THAtomicGet##SUFFIX(T volatile *a)                                              \
  {                                                                                 \
    return __atomic_load_n(a, __ATOMIC_SEQ_CST);                                    \
  }                                                                                 \
  T THAtomicAdd##SUFFIX(T volatile *a, T value)                                     \
  {                                                                                 \
    return __atomic_fetch_add(a, value, __ATOMIC_SEQ_CST);                          \
  }                                                                                 \
  T THAtomicCompareAndSwap##SUFFIX(T volatile *a, T oldvalue, T newvalue)           \
  {                                                                                 \
    return __atomic_compare_exchange_n(a, &oldvalue, newvalue, 0, __ATOMIC_SEQ_CST, \
                                       __ATOMIC_SEQ_CST);                           \
  }

TH_ATOMIC_FAMILY(int, )
TH_ATOMIC_FAMILY(long, Long)
TH_ATOMIC_FAMILY(ptrdiff_t, Ptrdiff)

void THAtomicIncrementRef(int volatile *a)
{
  __atomic_fetch_add(a, 1, __ATOMIC_SEQ_CST);
}

/* Returns 1 when the count reached zero: the caller owned the last reference. */
int THAtomicDecrementRef(int volatile *a)
{
  return __atomic_sub_fetch(a, 1, __ATOMIC_SEQ_CST) == 0;
}
