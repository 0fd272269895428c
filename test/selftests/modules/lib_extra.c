// SPDX-License-Identifier: GPL-2.0
/*
 * lib_extra: prints what the kernel library returns for inputs the kernel's own lib self-tests
 * do not print (they only report pass/fail, and leave some functions and %p extensions out):
 * the bytes and return values themselves, one line per call, so that a transcript of this
 * module on the real kernel pins them down. Built with the kernel's self-tests by
 * scripts/build-selftests.sh; compared by test/selftests.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/string_helpers.h>
#include <linux/slab.h>
#include <linux/bitmap.h>
#include <linux/ioport.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/blkdev.h>
#include <linux/prandom.h>
#include <linux/uuid.h>
#include <linux/netdev_features.h>

/* Strings the compiler cannot see through, so that every call reaches the kernel. */
static char buf[512];
static char *s(const char *lit)
{
	static char pool[4096];
	static int used;
	char *p;
	size_t n = strlen(lit) + 1;

	if (used + n > sizeof(pool))
		used = 0;
	p = pool + used;
	memcpy(p, lit, n);
	used += n;
	OPTIMIZER_HIDE_VAR(p);
	return p;
}

static void show_bytes(const char *what, const unsigned char *b, int n)
{
	char line[3 * 64 + 1];
	int i;

	for (i = 0; i < n && i < 64; i++)
		sprintf(line + 3 * i, "%02x ", b[i]);
	line[3 * i] = 0;
	pr_info("%s: %s\n", what, line);
}

static void __init printf_network(void)
{
	static const u8 a6[][16] = {
		{ 0,0,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,1 },
		{ 0,1,0,0, 0,0,0,0, 0,0,0,0, 0,0,0,0 },
		{ 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff, 1,2,3,4 },
		{ 0x20,0x01,0x0d,0xb8, 0,0,0,0, 0,1,0,0, 0,0,0,1 },
		{ 0x20,0x01,0x0d,0xb8, 0,0,0,1, 0,0,0,0, 0,0,0,1 },
		{ 0xfe,0x80,0,0, 0,0,0,0, 0x02,0,0x5e,0xfe, 0xc0,0xa8,0,1 },
		{ 0x12,0x34,0,0x56, 0x07,0x80,0,0, 0,0,0,0, 0xab,0xcd,0xef,0x01 },
		{ 0 },
	};
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sa4 = { .sin_family = AF_INET };
	struct sockaddr sa = { .sa_family = AF_UNIX };
	u8 ip4[4] = { 10, 0, 20, 255 };
	int i;

	for (i = 0; i < ARRAY_SIZE(a6); i++)
		pr_info("ip6 %pI6 | %pI6c | %pi6\n", a6[i], a6[i], a6[i]);
	pr_info("ip4 %pI4 %pi4 %pI4h %pI4l %pI4n %pI4b [%20pI4] [%-20pI4]\n", ip4, ip4, ip4, ip4, ip4, ip4, ip4, ip4);
	memcpy(&sa6.sin6_addr, a6[3], 16);
	sa6.sin6_port = htons(8080);
	sa6.sin6_flowinfo = htonl(0xf1234567);
	sa6.sin6_scope_id = 7;
	pr_info("sa6 %pIS | %pISc | %pISp | %pISpc | %pISpfsc | %piS | %piSpfs\n", &sa6, &sa6, &sa6, &sa6, &sa6, &sa6, &sa6);
	sa4.sin_addr.s_addr = htonl(0xc0a80001);
	sa4.sin_port = htons(22);
	pr_info("sa4 %pIS | %pISp | %piSp | %pISph | %pISpl\n", &sa4, &sa4, &sa4, &sa4, &sa4);
	pr_info("bad %pIS | %pI5 | %pi | %pI\n", &sa, ip4, ip4, ip4);
}

static void __init printf_resources(void)
{
	struct resource r[] = {
		{ .start = 0x3f8, .end = 0x3ff, .flags = IORESOURCE_IO },
		{ .start = 0xfe000000, .end = 0xfe0fffff, .flags = IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64 },
		{ .start = 0x1000, .end = 0x1fff, .flags = IORESOURCE_MEM | IORESOURCE_WINDOW | IORESOURCE_DISABLED },
		{ .start = 9, .end = 9, .flags = IORESOURCE_IRQ },
		{ .start = 3, .end = 4, .flags = IORESOURCE_DMA },
		{ .start = 0, .end = 0xff, .flags = IORESOURCE_BUS },
		{ .start = 0, .end = 0xfff, .flags = IORESOURCE_MEM | IORESOURCE_UNSET },
		{ .start = 5, .end = 6, .flags = 0 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(r); i++)
		pr_info("res %pR | %pr | [%40pR]\n", &r[i], &r[i], &r[i]);
}

static void __init printf_escapes(void)
{
	char *raw = kmalloc(40, GFP_KERNEL);
	int i;

	for (i = 0; i < 40; i++)
		raw[i] = "a\\\"\a\e\n\r\t\v\f\0 ~\x7f\x80\xa0\xff"[i % 18];
	pr_info("E %*pE|\n", 18, raw);
	pr_info("Ea %*pEa|\n", 18, raw);
	pr_info("Ec %*pEc|\n", 18, raw);
	pr_info("Eh %*pEh|\n", 18, raw);
	pr_info("En %*pEn|\n", 18, raw);
	pr_info("Eo %*pEo|\n", 18, raw);
	pr_info("Ep %*pEp|\n", 18, raw);
	pr_info("Es %*pEs|\n", 18, raw);
	pr_info("Ehp %*pEhp| Eosp %*pEosp| Ecn %*pEcn|\n", 18, raw, 18, raw, 18, raw);
	pr_info("E1 %pE| E0 %*pE| Enull %pE|\n", raw, 0, raw, NULL);
	string_escape_mem(raw, 18, buf, sizeof(buf), ESCAPE_ANY | ESCAPE_NAP, NULL);
	pr_info("escape_mem nap %s\n", buf);
	memset(buf, 0, sizeof(buf));
	pr_info("escape_mem only=%d %s\n", string_escape_mem(raw, 18, buf, 10, ESCAPE_OCTAL, "\"\\"), buf);
	kfree(raw);
}

static void __init vpr(const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info("V [%pV] [%pV]\n", &vaf, &vaf);
	va_end(args);
}

static int __init lib_extra_marker(void)
{
	return 0;
}

static void __init printf_misc(void)
{
	phys_addr_t phys = 0x12345678abcdULL;
	dma_addr_t dma = 0xfedcba98ULL;
	netdev_features_t feat = 0x8000000000001234ULL;
	unsigned long bits[3] = { 0xf0f0f0f0f0f0f0f0UL, 0x1, 0x8000000000000000UL };
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	unsigned long vmf = VM_READ | VM_WRITE | VM_SHARED | VM_IO | VM_DONTEXPAND | 0x100000000000UL;
	unsigned long pf = (1UL << PG_locked) | (1UL << PG_mlocked) | (1UL << PG_hwpoison) | (1UL << PG_head);
	u32 fcc = 0x34324152;
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	struct dentry *d = kzalloc(sizeof(*d) * 2, GFP_KERNEL);
	struct block_device *bd = kzalloc(sizeof(*bd), GFP_KERNEL);
	struct gendisk *disk = kzalloc(sizeof(*disk), GFP_KERNEL);

	vpr("%d-%s-%c", 42, "x", 'y');
	vpr("%pV", NULL);
	pr_info("a %pa %pap %pad [%30pa]\n", &phys, &phys, &dma, &phys);
	pr_info("N %pNF %pN %pNx\n", &feat, &feat, &feat);
	pr_info("b [%*pb] [%*pbl] [%*pb] [%*pbl] [%*pb] [%*pbl]\n", 0, bits, 0, bits, 1, bits, 1, bits, 65, bits, 65, bits);
	pr_info("b [%*pb] [%*pbl] [%-30pbl]\n", 192, bits, 192, bits, bits);
	pr_info("G %pGg | %pGv | %pGp | %pGx\n", &gfp, &vmf, &pf, &pf);
	pr_info("4cc %p4cc %p4c %p4ccx\n", &fcc, &fcc, &fcc);
	pr_info("O %pOF %pO %pOFf %pf %pfx\n", f, f, f, f, f);
	pr_info("t %pt %ptX %ptR\n", &fcc, &fcc, NULL);
	pr_info("e %pe %pe %pe %pe %pe [%-12pe] %pe\n", ERR_PTR(-ENOTSUPP), ERR_PTR(-EINVAL), ERR_PTR(-EHWPOISON),
		ERR_PTR(-ERESTARTSYS), ERR_PTR(-4095), ERR_PTR(-ENOENT), ERR_PTR(-134));
	pr_info("s %ps %pS %pSR %pB %pBb\n", lib_extra_marker, lib_extra_marker, lib_extra_marker,
		(char *)lib_extra_marker + 1, (char *)lib_extra_marker + 1);
	pr_info("x %px %px %p %p [%8px] [%-20px]\n", NULL, (void *)0x1234, NULL, ERR_PTR(-5),
		(void *)0x42, (void *)0x42);
	pr_info("ks %pks %pus %pk\n", s("kernel"), s("user"), s("x"));
	pr_info("M %pM %pMR %pMF %pm %pmR %pMx [%20pM]\n", bits, bits, bits, bits, bits, bits, bits);
	pr_info("h %*ph | %*phC | %2phD | %phN | %65ph\n", 8, bits, 5, bits, bits, bits, bits);
	pr_info("U %pU %pUx %pUl\n", bits, bits, bits);
	if (f && d && bd && disk) {
		d[0].d_parent = &d[0];
		d[0].d_name.name = s("/");
		d[1].d_parent = &d[0];
		d[1].d_name.name = s("etc");
		f->f_path.dentry = &d[1];
		pr_info("D %pD %pD2 %pD4 [%10pD] [%.2pd2]\n", f, f, f, f, &d[1]);
		strcpy(disk->disk_name, "nvme0n1");
		bd->bd_disk = disk;
		pr_info("g %pg\n", bd);
		bd->bd_partno = 2;
		pr_info("g %pg [%-12pg]\n", bd, bd);
		strcpy(disk->disk_name, "sda");
		pr_info("g %pg\n", bd);
	}
	kfree(f);
	kfree(d);
	kfree(bd);
	kfree(disk);
}

static void __init printf_numbers(void)
{
	char small[8];
	int n;

	pr_info("n [%#o] [%#x] [%#X] [%+5d] [%-08d|] [% 05d] [%#.0x] [%.0u] [%hhd] [%hhu] [%hd] [%zd] [%td]\n",
		0, 0, 255, 3, -3, 3, 0, 0, 255, 511, 65535, (ssize_t)-1, (ptrdiff_t)-2);
	pr_info("n [%5c] [%-5c] [%%] [%lld] [%llu] [%llx] [%#llo]\n", 'a', 'b', LLONG_MIN, ULLONG_MAX, -1LL, 8LL);
	pr_info("n [%*d] [%-*d] [%.*d] [%*.*s]\n", -6, 1, 6, 2, 3, 4, 5, 2, "abcdef");
	n = snprintf(small, sizeof(small), "%s", s("0123456789"));
	pr_info("snprintf %d [%s]\n", n, small);
	n = scnprintf(small, sizeof(small), "%s", s("0123456789"));
	pr_info("scnprintf %d [%s]\n", n, small);
	n = scnprintf(small, 0, "%s", s("0123456789"));
	pr_info("scnprintf0 %d\n", n);
	n = sprintf(buf, "%08.3d|%-+6.2d|%x", 5, 7, -1);
	pr_info("sprintf %d [%s]\n", n, buf);
}

static void __init strings(void)
{
	char *p;
	int i;

	memset(buf, 'z', 32);
	pr_info("strscpy %zd\n", strscpy(buf, s("abc"), 16));
	show_bytes("after", buf, 16);
	memset(buf, 'z', 32);
	pr_info("strscpy %zd\n", strscpy(buf, s("abcdefghij"), 16));
	show_bytes("after", buf, 16);
	memset(buf, 'z', 32);
	pr_info("strscpy %zd\n", strscpy(buf, s("abcdefghijklmnopq"), 16));
	show_bytes("after", buf, 20);
	memset(buf, 'z', 32);
	pr_info("strscpy_pad %zd\n", strscpy_pad(buf, s("abc"), 12));
	show_bytes("after", buf, 16);
	p = s("  \t hello world \n\t ");
	pr_info("strim [%s] skip [%s]\n", strim(p), skip_spaces(s("\xa0\v x")));
	pr_info("streq %d %d %d %d %d\n", sysfs_streq(s("a"), s("a\n")), sysfs_streq(s("a\n"), s("a")),
		sysfs_streq(s("a\n"), s("a\n\n")), sysfs_streq(s("a"), s("ab")), sysfs_streq(s(""), s("\n")));
	{
		const char *const arr[] = { "one", "two", NULL, "four" };

		pr_info("match %d %d %d %d\n", match_string(arr, 4, s("two")), match_string(arr, 4, s("four")),
			__sysfs_match_string(arr, 4, s("two\n")), match_string(arr, -1, s("one")));
	}
	p = s("hello world");
	pr_info("memscan %td %td\n", (char *)memscan(p, 'o', 11) - p, (char *)memscan(p, 'q', 11) - p);
	pr_info("strnstr %td %d %td\n", strnstr(p, s("wor"), 11) - p, strnstr(p, s("wor"), 8) == NULL, strnstr(p, s(""), 0) - p);
	pr_info("strpbrk %td %d\n", strpbrk(p, s("xyzw")) - p, strpbrk(p, s("q")) == NULL);
	pr_info("strspn %zu %zu %zu %zu\n", strspn(p, s("leh")), strspn(p, s("")), strcspn(p, s(" ")), strcspn(p, s("")));
	pr_info("strnchr %td %d %td %d\n", strnchr(p, 5, 'o') - p, strnchr(p, 4, 'o') == NULL, strnchr(p, 12, 0) - p,
		strnchr(p, 11, 0) == NULL);
	pr_info("strchrnul %td %td\n", strchrnul(p, 'w') - p, strchrnul(p, 'q') - p);
	pr_info("strreplace %td %s\n", strreplace(p, 'o', '0') - p, p);
	pr_info("case %d %d %d %d %d\n", strcasecmp(s("ABC"), s("abd")), strcasecmp(s("b"), s("A")),
		strncasecmp(s("HELLO"), s("help"), 3), strncasecmp(s("HELLO"), s("help"), 4), strcasecmp(s("\xc0"), s("\xe0")));
	pr_info("cmp %d %d %d %d\n", strcmp(s("a"), s("c")), strncmp(s("ab"), s("aa"), 2), memcmp(s("a"), s("c"), 1), strcmp(s("\xff"), s("a")));
	memset(buf, 0, 64);
	memcpy_and_pad(buf, 12, s("abcdef"), 4, '#');
	pr_info("memcpy_and_pad [%s]\n", buf);
	memset(buf, 7, 100);
	buf[77] = 8;
	pr_info("memchr_inv %td %d %td\n", (char *)memchr_inv(buf, 7, 100) - buf, memchr_inv(buf, 7, 77) == NULL,
		(char *)memchr_inv(buf + 3, 7, 97) - buf);
	pr_info("memchr %td %d\n", (char *)memchr(buf, 8, 100) - buf, memchr(buf, 9, 100) == NULL);
	for (i = 0; i < 4; i++)
		buf[i] = "\x12\xab\xcd\x0f"[i];
	pr_info("bin2hex [%.*s]\n", (int)(bin2hex(buf + 10, buf, 4) - (buf + 10)), buf + 10);
	pr_info("hex2bin %d %d %d\n", hex2bin(buf, s("a1B2"), 2), hex2bin(buf + 2, s("1g"), 1), hex_to_bin('F') + hex_to_bin('g') * 100);
	show_bytes("hex2bin", buf, 3);
}

static void __init scans(void)
{
	int a = -1, b = -1, n = -1, r;
	unsigned char hh = 0;
	short h = 0;
	long l = 0;
	unsigned long long ull = 0;
	size_t z = 0;
	char w1[16] = "", w2[16] = "";

	int i4 = 0, cnt = 0;

	r = sscanf(s("  12  0x1f 077 -8"), "%d %x %o %i%n", &a, &b, &n, &i4, &cnt);
	pr_info("scan1 %d %d %d %d %d %d\n", r, a, b, n, i4, cnt);
	r = sscanf(s("0x10 010 10"), "%i %i %i", &a, &b, &n);
	pr_info("scan2 %d %d %d %d\n", r, a, b, n);
	r = sscanf(s("300 70000 -1 18446744073709551615 42"), "%hhu %hd %ld %llu %zu", &hh, &h, &l, &ull, &z);
	pr_info("scan3 %d %u %d %ld %llu %zu\n", r, hh, h, l, ull, z);
	r = sscanf(s("abc:def ghi"), "%3[a-c]:%15s %n", w1, w2, &n);
	pr_info("scan4 %d [%s] [%s] %d\n", r, w1, w2, n);
	r = sscanf(s("00:0a:95"), "%2[^:]:%2[^:]:%2[^:]", w1, w2, w2 + 4);
	pr_info("scan5 %d [%s] [%s]\n", r, w1, w2);
	r = sscanf(s("12345678"), "%3d%2x%d", &a, &b, &n);
	pr_info("scan6 %d %d %d %d\n", r, a, b, n);
	r = sscanf(s("skip 7 x"), "%*s %d %c", &a, w1);
	pr_info("scan7 %d %d %c\n", r, a, w1[0]);
	r = sscanf(s("-5 -"), "%u %d", &a, &b);
	pr_info("scan8 %d\n", r);
	r = sscanf(s("0x 5"), "%x %d", &a, &b);
	pr_info("scan9 %d %d %d\n", r, a, b);
	r = sscanf(s("ab"), "%5c", w1);
	pr_info("scan10 %d [%.2s]\n", r, w1);
	r = sscanf(s("100%"), "%d%%", &a);
	pr_info("scan11 %d %d\n", r, a);
	r = sscanf(s("1 2"), "%0d %d", &a, &b);
	pr_info("scan12 %d\n", r);
	pr_info("strtol %ld %lu %lld %llu\n", simple_strtol(s("-0x1f"), NULL, 0), simple_strtoul(s("0778"), NULL, 0),
		simple_strtoll(s("99999999999999999999"), NULL, 10), simple_strtoull(s("0XfFz"), NULL, 16));
}

static void __init hexdumps(void)
{
	static const char data[] = "0123456789abcdef\x01\x02\xff\x80 ~ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char line[200];
	int ret, i;

	for (i = 1; i <= 8; i *= 2) {
		ret = hex_dump_to_buffer(data, 19, 16, i, line, sizeof(line), true);
		pr_info("hd g%d %d [%s]\n", i, ret, line);
	}
	ret = hex_dump_to_buffer(data, 20, 32, 4, line, sizeof(line), false);
	pr_info("hd r32 %d [%s]\n", ret, line);
	ret = hex_dump_to_buffer(data, 16, 17, 3, line, sizeof(line), true);
	pr_info("hd odd %d [%s]\n", ret, line);
	memset(line, 'z', sizeof(line));
	ret = hex_dump_to_buffer(data, 16, 16, 4, line, 20, true);
	pr_info("hd short %d [%.40s]\n", ret, line);
	memset(line, 'z', sizeof(line));
	ret = hex_dump_to_buffer(data, 16, 16, 1, line, 10, false);
	pr_info("hd short1 %d [%.40s]\n", ret, line);
	ret = hex_dump_to_buffer(data, 0, 16, 1, line, sizeof(line), true);
	pr_info("hd empty %d [%s]\n", ret, line);
	print_hex_dump(KERN_INFO, "off: ", DUMP_PREFIX_OFFSET, 16, 2, data, 40, true);
	print_hex_dump(KERN_INFO, "none: ", DUMP_PREFIX_NONE, 32, 8, data, 36, false);
	print_hex_dump(KERN_INFO, "", DUMP_PREFIX_NONE, 7, 1, data, 3, true);
}

static void __init bitmaps(void)
{
	DECLARE_BITMAP(a, 200);
	DECLARE_BITMAP(b, 200);
	DECLARE_BITMAP(c, 200);
	u32 arr[7];
	static const char *const lists[] = {
		"0-4,8", "all", "all:1/3", "N", "0-N:2/5", "1-3,,5", " 7 ", "3-1", "0-199:0/5", "0-1:3/2", "200",
		"1x", "99999999999", "0-5:2", "5:2/4", "0 -1", "\n", "",
	};
	static const char *const masks[] = {
		"f", "ff,00000001", "1,,5", " deadbeef ", "123456789", "g", "0,0,0,0,0,0,0,1", "80,00000000,00000000,00000000,00000000,00000000,00000000", "",
	};
	int i, r;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		memset(a, 0xaa, sizeof(a));
		r = bitmap_parselist(s(lists[i]), a, 200);
		pr_info("parselist '%s' %d %*pbl\n", lists[i], r, 200, a);
	}
	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		memset(a, 0xaa, sizeof(a));
		r = bitmap_parse(s(masks[i]), UINT_MAX, a, 200);
		pr_info("parse '%s' %d %*pb\n", masks[i], r, 200, a);
	}
	bitmap_zero(a, 200);
	bitmap_set(a, 3, 10);
	bitmap_set(a, 60, 70);
	bitmap_set(a, 199, 1);
	pr_info("weight %u last %lu nth %lu %lu %lu\n", bitmap_weight(a, 200), find_last_bit(a, 200),
		find_nth_bit(a, 200, 0), find_nth_bit(a, 200, 10), find_nth_bit(a, 200, 81));
	bitmap_shift_left(b, a, 7, 200);
	pr_info("shl %*pbl\n", 200, b);
	bitmap_shift_right(b, a, 70, 200);
	pr_info("shr %*pbl\n", 200, b);
	bitmap_cut(b, a, 5, 60, 200);
	pr_info("cut %*pbl\n", 200, b);
	bitmap_complement(c, a, 130);
	pr_info("compl %*pbl\n", 130, c);
	pr_info("and %d %*pbl\n", bitmap_and(c, a, b, 200), 200, c);
	pr_info("andnot %d %*pbl\n", bitmap_andnot(c, a, b, 200), 200, c);
	bitmap_xor(c, a, b, 200);
	pr_info("xor %*pbl\n", 200, c);
	pr_info("rel %d %d %d %u\n", bitmap_intersects(a, b, 200), bitmap_subset(b, a, 200), bitmap_equal(a, a, 199), bitmap_weight_and(a, b, 200));
	pr_info("next_and %lu andnot %lu nth_and %lu\n", find_next_and_bit(a, b, 200, 4), find_next_andnot_bit(a, b, 200, 0),
		find_nth_and_bit(a, b, 200, 3));
	bitmap_zero(c, 200);
	bitmap_set(c, 0, 5);
	bitmap_set(c, 9, 3);
	pr_info("zero_area %lu %lu %lu\n", bitmap_find_next_zero_area(c, 200, 0, 4, 0), bitmap_find_next_zero_area(c, 200, 0, 4, 7),
		bitmap_find_next_zero_area(c, 20, 0, 30, 0));
	pr_info("region %d %d %d", bitmap_find_free_region(c, 200, 3), bitmap_allocate_region(c, 16, 2), bitmap_allocate_region(c, 16, 2));
	bitmap_release_region(c, 16, 2);
	pr_info("regions %*pbl\n", 200, c);
	bitmap_remap(b, a, c, a, 200);
	pr_info("remap %*pbl bitremap %d %d\n", 200, b, bitmap_bitremap(10, c, a, 200), bitmap_bitremap(100, c, a, 200));
	bitmap_to_arr32(arr, a, 199);
	pr_info("arr32 %08x %08x %08x %08x %08x %08x %08x\n", arr[0], arr[1], arr[2], arr[3], arr[4], arr[5], arr[6]);
	bitmap_from_arr32(b, arr, 150);
	pr_info("from32 %*pbl\n", 200, b);
	memset(buf, 'z', 64);
	r = bitmap_print_list_to_buf(buf, a, 200, 4, 10);
	pr_info("list_to_buf %d [%.*s]\n", r, r, buf);
	r = bitmap_print_bitmask_to_buf(buf, a, 200, 50, 100);
	pr_info("mask_to_buf %d [%.*s]\n", r, r, buf);
	r = bitmap_print_to_pagebuf(true, buf, a, 200);
	pr_info("pagebuf %d [%s]\n", r, buf);
}

static void __init randoms(void)
{
	struct rnd_state st;
	u8 bytes[11];

	prandom_seed_state(&st, 0x123456789abcdefULL);
	pr_info("prandom %u %u %u\n", prandom_u32_state(&st), prandom_u32_state(&st), prandom_u32_state(&st));
	prandom_bytes_state(&st, bytes, sizeof(bytes));
	show_bytes("prandom_bytes", bytes, sizeof(bytes));
	pr_info("uuid_is_valid %d %d %d\n", uuid_is_valid(s("01234567-89ab-cdef-0123-456789ABCDEF")),
		uuid_is_valid(s("01234567-89ab-cdef-0123-456789ABCDE")), uuid_is_valid(s("0123456789ab-cdef-0123-456789ABCDEFx")));
}

static int __init lib_extra_init(void)
{
	char *p;

	printf_network();
	printf_resources();
	printf_escapes();
	printf_misc();
	printf_numbers();
	strings();
	scans();
	hexdumps();
	bitmaps();
	randoms();
	p = kasprintf(GFP_KERNEL, "%s-%d", s("k"), 7);
	pr_info("kasprintf [%s] %zu\n", p, strlen(p));
	kfree(p);
	pr_info("done\n");
	return -EAGAIN;
}
module_init(lib_extra_init);
MODULE_LICENSE("GPL");
