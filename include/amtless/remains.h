/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * amtless - what remains: for every module a neutralization keeps, what
 * it is (a one-line role where a public source gives one) and what the
 * image itself says it may touch (its .met declarations in the model,
 * fw.decls). Read from the model only; which modules are kept comes from
 * the caller: the model's preview of the default neutralization
 * (amt_module.kept, lib/fw/keep.c) or a plan (amt_plan_kept_modules,
 * <amtless/neutralize.h>).
 */
#ifndef AMTLESS_REMAINS_H
#define AMTLESS_REMAINS_H

#include <amtless/image.h>
#include <amtless/verify.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a kept module can reach that matters for "the ME is harmless"
 * (bits of amt_remain.reach). */
enum {
	AMT_REACH_NETWORK = 1u << 0,  /* a network stack or network controller */
	AMT_REACH_HOST_AMT = 1u << 1, /* a host-visible AMT interface (SOL, IDE-R,
					 the AMT HECI clients) */
	AMT_REACH_HECI = 1u << 2,     /* the HECI (MEI) interface the host sees */
	AMT_REACH__ALL = 0x7u,
};
/* "network", "host-amt", "heci" for one bit; NULL otherwise. */
const char *amt_reach_str(unsigned bit);

/* One row of the table of module roles (lib/fw/roles.c, static storage). */
struct amt_module_role {
	int generation;        /* 2 ($MME) or 3 (CSE) */
	const char *name;      /* as the image names it (compared ignoring case) */
	bool prefix;           /* name is a prefix (me_cleaner's "kernel*" rule) */
	const char *role;      /* one line */
	const char *source;    /* the public source of the role */
	unsigned reach;        /* AMT_REACH_* the role itself implies */
};

/* The role of a module of this generation, or NULL (no public role). */
const struct amt_module_role *amt_module_role(int generation, const char *name);

/* One kept code module. */
struct amt_remain {
	size_t module;                     /* index into fw.modules */
	uint64_t stored_bytes;             /* bytes it occupies in the image, as
					      the code measure counts them: its
					      size, or for a gen 2 Huffman module
					      (size 0) the bytes of its LLUT chunks */
	const struct amt_module_role *role; /* NULL: no public role known */
	unsigned reach;                    /* AMT_REACH_*: from the role or the
					      declarations */
	unsigned reach_declared;           /* the part of reach the image's own
					      declarations show (a HECI special file) */
	/* counts of its declarations (fw.decls with .module == module) */
	unsigned ndevices, nmmio, nfiles, nlocked, nthreads, ngroups;
	bool process;                      /* declares a process (0x05) */
	bool shared_lib;                   /* declares a shared library (0x04) */
};

struct amt_remains {
	size_t n;
	struct amt_remain *items;          /* kept code modules, in model order */
	/* the code measure (amt_code_measure): a LLUT chunk that modules
	 * share counts once here, once per module in stored_bytes */
	uint64_t kept_bytes;               /* the kept modules' bytes that hold code */
	uint64_t code_bytes;               /* every code module's bytes (of scope) */
	bool declarations;                 /* a code module has a .met (ME 11, TXE 3/4);
					      gen 2 $MME carries none, and CSME 12+
					      keeps its module metadata inside rbe/pm
					      (not read here) */
	unsigned reach;                    /* OR of the items' reach */
	amt_code_scope scope;              /* which code code_bytes counts */
};

/*
 * The kept code modules of img: kept[i] for module i when kept is not
 * NULL (nkept == fw.nmodules), else the model's preview (amt_module.kept).
 * *out is filled (free with amt_remains_free). Fails only with AMT_E_ARG
 * (no firmware, a kept array of the wrong size) or AMT_E_NOMEM.
 */
amt_status amt_remains_collect(const struct amt_image *img, const bool *kept, size_t nkept,
			       struct amt_remains *out, amt_error *err);
void amt_remains_free(struct amt_remains *r);

#ifdef __cplusplus
}
#endif
#endif
