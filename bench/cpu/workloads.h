/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workloads.h - compute-heavy loops for the interpreter benchmark (bench/cpu-mips.mjs).
 *
 * Included by cpubench.c (a kernel module: init runs workload `work`, `reps` times) and by
 * native.c (the same code built with gcc -O2 as a user program, timed with clock_gettime).
 * Each workload returns a checksum; both builds print it, so the benchmark also checks that the
 * interpreter computed the same thing as the host CPU.  No kernel calls inside the loops.
 */
#ifndef CPUBENCH_WORKLOADS_H
#define CPUBENCH_WORKLOADS_H

#define WL_NOINLINE __attribute__((__noinline__))
#define BUF_SIZE 16384
#define SIEVE_N 65536
#define SORT_N 2048
#define MAT_N 24

static unsigned char buf[BUF_SIZE];
static unsigned char sieve_bits[SIEVE_N];
static unsigned int sort_a[SORT_N];
static int mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

static unsigned int lcg_state;

static inline unsigned int lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 8;
}

static WL_NOINLINE void fill_buf(unsigned int seed)
{
	int i;

	lcg_state = seed;
	for (i = 0; i < BUF_SIZE; i++)
		buf[i] = (unsigned char)lcg();
}

/* Bitwise CRC-32 (reflected, poly 0xEDB88320): shifts, masks, a data-dependent xor. */
static WL_NOINLINE unsigned int wl_crc32(void)
{
	unsigned int crc = 0xffffffffu;
	int i, k;

	for (i = 0; i < 4096; i++) {
		crc ^= buf[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* Sieve of Eratosthenes over bytes: stores with a stride, a counting pass. */
static WL_NOINLINE unsigned int wl_sieve(void)
{
	unsigned int i, j, count = 0;

	for (i = 0; i < SIEVE_N; i++)
		sieve_bits[i] = 1;
	sieve_bits[0] = sieve_bits[1] = 0;
	for (i = 2; i * i < SIEVE_N; i++)
		if (sieve_bits[i])
			for (j = i * i; j < SIEVE_N; j += i)
				sieve_bits[j] = 0;
	for (i = 0; i < SIEVE_N; i++)
		count += sieve_bits[i];
	return count;
}

/* Quicksort (recursive, insertion sort below 16 elements) of pseudo-random words. */
static WL_NOINLINE void isort(unsigned int *a, int n)
{
	int i, j;

	for (i = 1; i < n; i++) {
		unsigned int v = a[i];

		for (j = i; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static WL_NOINLINE void qsort_u32(unsigned int *a, int n)
{
	while (n > 16) {
		unsigned int p = a[n / 2];
		int i = 0, j = n - 1;

		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			{
				unsigned int t = a[i];

				a[i] = a[j];
				a[j] = t;
			}
			i++;
			j--;
		}
		/* recurse into the smaller half, loop on the larger one */
		if (j + 1 < n - j - 1) {
			qsort_u32(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			qsort_u32(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	isort(a, n);
}

static WL_NOINLINE unsigned int wl_sort(void)
{
	unsigned int h = 0;
	int i;

	lcg_state = 12345;
	for (i = 0; i < SORT_N; i++)
		sort_a[i] = lcg();
	qsort_u32(sort_a, SORT_N);
	for (i = 0; i < SORT_N; i++)
		h = h * 31 + sort_a[i];
	for (i = 1; i < SORT_N; i++)
		if (sort_a[i - 1] > sort_a[i])
			return 0;
	return h;
}

/* FNV-1a 64 and a murmur-style 64-bit mix over the buffer: 64-bit multiplies, 8-byte loads. */
static WL_NOINLINE unsigned int wl_hash(void)
{
	unsigned long long h = 0xcbf29ce484222325ull, m = 0;
	const unsigned long long *w = (const unsigned long long *)buf;
	int i;

	for (i = 0; i < BUF_SIZE; i++)
		h = (h ^ buf[i]) * 0x100000001b3ull;
	for (i = 0; i < BUF_SIZE / 8; i++) {
		unsigned long long k = w[i];

		k ^= k >> 33;
		k *= 0xff51afd7ed558ccdull;
		k ^= k >> 33;
		m = (m ^ k) * 0xc4ceb9fe1a85ec53ull + i;
	}
	return (unsigned int)(h ^ (h >> 32) ^ m ^ (m >> 32));
}

/* Integer matrix multiply: indexed addressing, 32-bit imul. */
static WL_NOINLINE unsigned int wl_matmul(void)
{
	unsigned int h = 0;
	int i, j, k;

	for (i = 0; i < MAT_N; i++)
		for (j = 0; j < MAT_N; j++) {
			mat_a[i][j] = (int)(buf[i * MAT_N + j]) - 128;
			mat_b[i][j] = (int)(buf[4096 + i * MAT_N + j]) - 128;
		}
	for (i = 0; i < MAT_N; i++)
		for (j = 0; j < MAT_N; j++) {
			int s = 0;

			for (k = 0; k < MAT_N; k++)
				s += mat_a[i][k] * mat_b[k][j];
			mat_c[i][j] = s;
		}
	for (i = 0; i < MAT_N; i++)
		for (j = 0; j < MAT_N; j++)
			h = (h ^ (unsigned int)mat_c[i][j]) * 16777619u;
	return h;
}

#define NR_WORKLOADS 5
static const char *const wl_names[NR_WORKLOADS] = { "crc32", "sieve", "sort", "hash", "matmul" };

static WL_NOINLINE unsigned int run_workload(int work, int reps)
{
	unsigned int acc = 0;
	int r;

	fill_buf(0x1234567u);
	for (r = 0; r < reps; r++) {
		switch (work) {
		case 0: acc += wl_crc32(); break;
		case 1: acc += wl_sieve(); break;
		case 2: acc += wl_sort(); break;
		case 3: acc += wl_hash(); break;
		default: acc += wl_matmul(); break;
		}
		buf[r & (BUF_SIZE - 1)] ^= (unsigned char)acc;
	}
	return acc;
}

#endif
