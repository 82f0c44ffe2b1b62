/* THCGuard: how a public THC entry point turns an error into a parked error and a return.
 * Private to the library (C only): used by THCGeneral.c and the generated THCExports.c.
 *
 * The same design as libTH's THGuard.h, with libTHC's own per-thread state: libTH keeps its state
 * hidden, so libTHC cannot unwind to libTH's landing. A TH error inside a call THC makes into
 * libTH is parked by libTH's own guard, and THC_checkTH moves it here. */
#ifndef THC_GUARD_H
#define THC_GUARD_H

#include <setjmp.h>
#include "THCGeneral.h"

#define THC_ERROR_MSG_LEN 2048

typedef struct THCErrorState {
  jmp_buf *landing; /* the outermost entry point's jump buffer; NULL outside any entry point */
  int kind;         /* kind of the parked error (TH_ERR_*), 0 when none */
  char msg[THC_ERROR_MSG_LEN];
} THCErrorState;

extern _Thread_local THCErrorState THCErrorState_tls __attribute__((visibility("hidden")));

#define THC_GUARDED_VOID(CALL)                        \
  do {                                                \
    THCErrorState *st_ = &THCErrorState_tls;          \
    if (st_->landing) {                               \
      CALL;                                           \
    } else {                                          \
      jmp_buf jb_;                                    \
      st_->landing = &jb_;                            \
      if (setjmp(jb_) == 0) CALL;                     \
      THCErrorState_tls.landing = NULL;               \
    }                                                 \
  } while (0)

#define THC_GUARDED_VALUE(TYPE, CALL)                 \
  do {                                                \
    THCErrorState *st_ = &THCErrorState_tls;          \
    if (st_->landing) return CALL;                    \
    jmp_buf jb_;                                      \
    TYPE r_ = (TYPE){0};                              \
    st_->landing = &jb_;                              \
    if (setjmp(jb_) == 0) r_ = CALL;                  \
    THCErrorState_tls.landing = NULL;                 \
    return r_;                                        \
  } while (0)

#endif
