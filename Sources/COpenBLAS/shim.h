#pragma once
/* OpenBLAS's own cblas.h (the pthread variant Debian's libopenblas-dev installs), whatever BLAS the cblas.h
   alternative points at: it declares blasint, openblas_get_corename and openblas_set_num_threads. Types and
   constants only: BLAS.swift opens the library at first use. */
#include <openblas-pthread/cblas.h>
