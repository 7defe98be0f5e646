#ifndef LETHE_CMAGIC_SHIM_H
#define LETHE_CMAGIC_SHIM_H
#include <magic.h>
#endif
