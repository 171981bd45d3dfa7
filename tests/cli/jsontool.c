/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test helper for the CLI tests (jansson only, no other dependency):
 *   jsontool validate SCHEMA DOC   check DOC against a JSON Schema that
 *                                  uses only the keywords below; exit 1
 *                                  listing every violation
 *   jsontool get DOC PATH          print the value at PATH ("a.b.0.c"):
 *                                  strings raw, other values as JSON;
 *                                  exit 1 when PATH does not exist
 *   jsontool canon DOC             print DOC on one line, keys sorted (to
 *                                  compare two documents)
 * Supported keywords (draft 2020-12 meaning): type, properties, required,
 * additionalProperties (boolean or schema), items, enum, const, $ref
 * ("#/$defs/NAME"), anyOf, oneOf, minimum, maximum, minItems, maxItems,
 * pattern (POSIX ERE). Annotations ($schema, $id, $defs, title,
 * description, $comment) are ignored; any other keyword is an error, so a
 * schema cannot silently use something this checker does not enforce.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static json_t *root_schema;
static int nerrors;
static bool quiet;

/* Report "PATH: WHAT ARG". */
static void fail(const char *path, const char *what, const char *arg)
{
	nerrors++;
	if (quiet)
		return;
	fprintf(stderr, "%s: %s %s\n", path[0] ? path : "(root)", what, arg);
}

static bool type_is(const json_t *v, const char *t)
{
	if (!strcmp(t, "object")) return json_is_object(v);
	if (!strcmp(t, "array")) return json_is_array(v);
	if (!strcmp(t, "string")) return json_is_string(v);
	if (!strcmp(t, "integer")) return json_is_integer(v);
	if (!strcmp(t, "number")) return json_is_number(v);
	if (!strcmp(t, "boolean")) return json_is_boolean(v);
	if (!strcmp(t, "null")) return json_is_null(v);
	fprintf(stderr, "schema: unknown type '%s'\n", t);
	exit(2);
}

static double num(const json_t *v)
{
	return json_is_integer(v) ? (double)json_integer_value(v) : json_real_value(v);
}

static void validate(const json_t *s, const json_t *v, const char *path);

/* Validate silently; returns true when v matches s. */
static bool matches(const json_t *s, const json_t *v, const char *path)
{
	int before = nerrors;
	bool q = quiet;
	quiet = true;
	validate(s, v, path);
	quiet = q;
	bool ok = nerrors == before;
	nerrors = before;
	return ok;
}

static void validate(const json_t *s, const json_t *v, const char *path)
{
	const char *kw;
	json_t *arg;

	if (json_is_true(s))
		return;
	if (!json_is_object(s)) {
		fprintf(stderr, "schema at %s is not an object\n", path);
		exit(2);
	}
	json_object_foreach((json_t *)s, kw, arg) {
		if (!strcmp(kw, "$schema") || !strcmp(kw, "$id") || !strcmp(kw, "$defs") ||
		    !strcmp(kw, "title") || !strcmp(kw, "description") || !strcmp(kw, "$comment"))
			continue;
		if (!strcmp(kw, "$ref")) {
			const char *ref = json_string_value(arg);
			if (!ref || strncmp(ref, "#/$defs/", 8)) {
				fprintf(stderr, "schema: unsupported $ref\n");
				exit(2);
			}
			json_t *d = json_object_get(json_object_get(root_schema, "$defs"), ref + 8);
			if (!d) {
				fprintf(stderr, "schema: $ref %s not found\n", ref);
				exit(2);
			}
			validate(d, v, path);
		} else if (!strcmp(kw, "type")) {
			bool ok = false;
			if (json_is_string(arg)) {
				ok = type_is(v, json_string_value(arg));
			} else {
				size_t i;
				json_t *t;
				json_array_foreach(arg, i, t)
					ok = ok || type_is(v, json_string_value(t));
			}
			if (!ok) {
				char *want = json_dumps(arg, JSON_ENCODE_ANY);
				fail(path, "wrong type, expected", want);
				free(want);
			}
		} else if (!strcmp(kw, "properties")) {
			if (!json_is_object(v))
				continue;
			const char *k;
			json_t *ps;
			json_object_foreach(arg, k, ps) {
				json_t *c = json_object_get(v, k);
				if (c) {
					char sub[1024];
					snprintf(sub, sizeof(sub), "%s/%s", path, k);
					validate(ps, c, sub);
				}
			}
		} else if (!strcmp(kw, "required")) {
			if (!json_is_object(v))
				continue;
			size_t i;
			json_t *k;
			json_array_foreach(arg, i, k)
				if (!json_object_get(v, json_string_value(k)))
					fail(path, "missing required key", json_string_value(k));
		} else if (!strcmp(kw, "additionalProperties")) {
			if (!json_is_object(v))
				continue;
			json_t *props = json_object_get(s, "properties");
			const char *k;
			json_t *c;
			json_object_foreach((json_t *)v, k, c) {
				if (props && json_object_get(props, k))
					continue;
				if (json_is_false(arg)) {
					fail(path, "key not in the schema:", k);
				} else {
					char sub[1024];
					snprintf(sub, sizeof(sub), "%s/%s", path, k);
					validate(arg, c, sub);
				}
			}
		} else if (!strcmp(kw, "items")) {
			if (!json_is_array(v))
				continue;
			size_t i;
			json_t *c;
			json_array_foreach(v, i, c) {
				char sub[1024];
				snprintf(sub, sizeof(sub), "%s/%zu", path, i);
				validate(arg, c, sub);
			}
		} else if (!strcmp(kw, "enum")) {
			bool ok = false;
			size_t i;
			json_t *e;
			json_array_foreach(arg, i, e)
				ok = ok || json_equal(e, (json_t *)v);
			if (!ok) {
				char *got = json_dumps(v, JSON_ENCODE_ANY);
				fail(path, "value not in the enum:", got);
				free(got);
			}
		} else if (!strcmp(kw, "const")) {
			if (!json_equal(arg, (json_t *)v)) {
				char *want = json_dumps(arg, JSON_ENCODE_ANY);
				fail(path, "value differs from const", want);
				free(want);
			}
		} else if (!strcmp(kw, "anyOf") || !strcmp(kw, "oneOf")) {
			size_t i, n = 0;
			json_t *alt;
			json_array_foreach(arg, i, alt)
				n += matches(alt, v, path);
			if (n == 0 || (kw[0] == 'o' && n != 1))
				fail(path, kw, "not satisfied");
		} else if (!strcmp(kw, "minimum") || !strcmp(kw, "maximum")) {
			if (!json_is_number(v))
				continue;
			double lim = num(arg), x = num(v);
			if (kw[1] == 'i' ? x < lim : x > lim)
				fail(path, "out of range:", kw);
		} else if (!strcmp(kw, "minItems") || !strcmp(kw, "maxItems")) {
			if (!json_is_array(v))
				continue;
			size_t lim = (size_t)json_integer_value(arg), n = json_array_size(v);
			if (kw[1] == 'i' ? n < lim : n > lim)
				fail(path, "wrong number of items:", kw);
		} else if (!strcmp(kw, "pattern")) {
			if (!json_is_string(v))
				continue;
			regex_t re;
			if (regcomp(&re, json_string_value(arg), REG_EXTENDED | REG_NOSUB)) {
				fprintf(stderr, "schema: bad pattern %s\n", json_string_value(arg));
				exit(2);
			}
			if (regexec(&re, json_string_value(v), 0, NULL, 0))
				fail(path, "does not match the pattern:", json_string_value(v));
			regfree(&re);
		} else {
			fprintf(stderr, "schema: keyword '%s' is not supported by this checker\n", kw);
			exit(2);
		}
	}
}

static json_t *load(const char *file)
{
	json_error_t e;
	json_t *j = json_load_file(file, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!j) {
		fprintf(stderr, "%s:%d:%d: %s\n", file, e.line, e.column, e.text);
		exit(2);
	}
	return j;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "validate")) {
		root_schema = load(argv[2]);
		json_t *doc = load(argv[3]);
		validate(root_schema, doc, "");
		json_decref(doc);
		json_decref(root_schema);
		if (nerrors) {
			fprintf(stderr, "%d schema violation(s)\n", nerrors);
			return 1;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "get")) {
		json_t *doc = load(argv[2]);
		json_t *cur = doc;
		char *path = strdup(argv[3]);
		for (char *tok = strtok(path, "."); tok && cur; tok = strtok(NULL, ".")) {
			if (json_is_array(cur)) {
				char *end;
				unsigned long i = strtoul(tok, &end, 10);
				cur = *end ? NULL : json_array_get(cur, i);
			} else {
				cur = json_object_get(cur, tok);
			}
		}
		free(path);
		if (!cur) {
			json_decref(doc);
			return 1;
		}
		if (json_is_string(cur)) {
			fwrite(json_string_value(cur), 1, json_string_length(cur), stdout);
			fputc('\n', stdout);
		} else {
			char *s = json_dumps(cur, JSON_ENCODE_ANY | JSON_COMPACT);
			puts(s);
			free(s);
		}
		json_decref(doc);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "canon")) {
		json_t *doc = load(argv[2]);
		char *s = json_dumps(doc, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
		puts(s);
		free(s);
		json_decref(doc);
		return 0;
	}
	fprintf(stderr, "usage: jsontool validate SCHEMA DOC | jsontool get DOC PATH | "
		"jsontool canon DOC\n");
	return 2;
}
