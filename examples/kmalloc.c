// SPDX-License-Identifier: GPL-2.0
/*
 * kmalloc: allocate in init, free in exit, and unwind with goto when an
 * allocation fails (seed 004, "creating and releasing resources").
 *
 * init allocates a small struct that records the shape (kzalloc), then a
 * rows x cols matrix of ints: one kmalloc for the array of row pointers
 * and one kzalloc per row.  Any failure jumps to a label that frees exactly
 * what was allocated before it, in reverse order, and init returns
 * -ENOMEM.  exit frees everything in reverse order of allocation.
 *
 * fail_row=<n> at load time pretends that the allocation of row n failed,
 * so the error path can be exercised (and checked for leaks) without a
 * real out-of-memory condition.  rows and cols are parameters so that
 * the sizes are not compile-time constants: those allocations go through
 * __kmalloc, while the fixed-size struct goes through kmalloc_trace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

static int rows = 4;
static int cols = 5;
static int fail_row = -1;		/* -1: no simulated failure */

module_param(rows, int, 0444);
module_param(cols, int, 0444);
module_param(fail_row, int, 0444);
MODULE_PARM_DESC(rows, "matrix rows, 1..16 (default 4)");
MODULE_PARM_DESC(cols, "matrix columns, 1..16 (default 5)");
MODULE_PARM_DESC(fail_row, "pretend kzalloc of this row fails (default -1)");

struct shape {
	int rows;
	int cols;
	size_t bytes;			/* total bytes allocated */
};

static int **mat;
static struct shape *info;

static int __init kmalloc_init(void)
{
	int i, j;
	size_t row_bytes;

	if (rows < 1 || rows > 16 || cols < 1 || cols > 16) {
		pr_err("rows and cols must be 1..16\n");
		return -EINVAL;
	}
	row_bytes = cols * sizeof(int);

	/* A: fixed size, so this is kmalloc_trace on a kmalloc cache */
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		pr_err("allocation of the shape record failed\n");
		return -ENOMEM;		/* nothing to undo yet */
	}

	/* B: size known only at run time, so this is __kmalloc */
	mat = kmalloc(rows * sizeof(int *), GFP_KERNEL);
	if (!mat) {
		pr_err("allocation of the row pointers failed\n");
		goto free_info;
	}

	/* C: one zeroed row at a time */
	for (i = 0; i < rows; i++) {
		mat[i] = i == fail_row ? NULL : kzalloc(row_bytes, GFP_KERNEL);
		if (!mat[i]) {
			pr_err("allocation of row %d failed\n", i);
			goto free_rows;
		}
		for (j = 0; j < cols; j++)
			mat[i][j] = i * cols + j;
	}

	info->rows = rows;
	info->cols = cols;
	info->bytes = sizeof(*info) + rows * sizeof(int *) + rows * row_bytes;
	pr_info("allocated a %dx%d matrix: %d objects, %zu bytes\n",
		info->rows, info->cols, rows + 2, info->bytes);
	for (i = 0; i < rows; i++)
		pr_info("row %d: %d .. %d\n", i, mat[i][0], mat[i][cols - 1]);
	return 0;

	/* Undo in reverse order; each label frees one earlier step. */
free_rows:
	pr_info("unwinding: freeing %d rows\n", i);
	while (--i >= 0)
		kfree(mat[i]);
	kfree(mat);
	mat = NULL;
free_info:
	kfree(info);
	info = NULL;
	return -ENOMEM;
}

static void __exit kmalloc_exit(void)
{
	int i;

	/* reverse order of allocation: rows, row pointers, shape record */
	for (i = rows - 1; i >= 0; i--)
		kfree(mat[i]);
	kfree(mat);
	kfree(info);
	pr_info("freed the %dx%d matrix: %d objects\n", rows, cols, rows + 2);
}

module_init(kmalloc_init);
module_exit(kmalloc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modfs examples");
MODULE_DESCRIPTION("kmalloc/kzalloc/kfree with goto error unwinding");
