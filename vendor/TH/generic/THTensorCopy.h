/* generic/THTensorCopy.h: copies into a tensor of this type from every type. */
TH_API void THTensor_(copy)(THTensor *tensor, THTensor *src);
TH_API void THTensor_(copyByte)(THTensor *tensor, THByteTensor *src);
TH_API void THTensor_(copyChar)(THTensor *tensor, THCharTensor *src);
TH_API void THTensor_(copyShort)(THTensor *tensor, THShortTensor *src);
TH_API void THTensor_(copyInt)(THTensor *tensor, THIntTensor *src);
TH_API void THTensor_(copyLong)(THTensor *tensor, THLongTensor *src);
TH_API void THTensor_(copyFloat)(THTensor *tensor, THFloatTensor *src);
TH_API void THTensor_(copyDouble)(THTensor *tensor, THDoubleTensor *src);
TH_API void THTensor_(copyHalf)(THTensor *tensor, THHalfTensor *src);
