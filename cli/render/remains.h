/* SPDX-License-Identifier: GPL-2.0-or-later */
/* "What remains" section (cli/render/remains.c). */
#ifndef AMTLESS_RENDER_REMAINS_H
#define AMTLESS_RENDER_REMAINS_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include <amtless/image.h>
#include <amtless/neutralize.h>

/* inspect: the kept modules of the model's preview */
void render_remains_text(FILE *f, const struct amt_image *img, bool color);
/* inspect --json: "remains" (doc/inspect.schema.json), JSON null without firmware */
json_t *render_remains_json(const struct amt_image *img);
/* neutralize: the modules plan p keeps of its input in/size (parsed here) */
void render_remains_plan(FILE *f, const struct amt_plan *p, const uint8_t *in, size_t size);

#endif
