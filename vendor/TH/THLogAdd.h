/* THLogAdd: log(exp(a) + exp(b)) and log(exp(a) - exp(b)) without overflow. */
#ifndef TH_LOG_ADD_H
#define TH_LOG_ADD_H

#include "THGeneral.h"

TH_API double THLogAdd(double log_a, double log_b);
TH_API double THLogSub(double log_a, double log_b);

#endif
