// CSC_HD marks per-element math shared by CUDA kernels and the CPU code/tests that check it.
#pragma once

#ifdef __CUDACC__
#define CSC_HD __host__ __device__
#else
#define CSC_HD
#endif
