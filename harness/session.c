// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every command does first: read its options, find the scenario
 * files (directories are searched for *.scn, in name order) and parse
 * them all, so that a typo anywhere stops the run before any op does.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "main.h"

struct path_list {
	char **v;
	size_t n;
};

static int option_value(int argc, char **argv, int *i, const char *name,
			const char **value)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=') {
		*value = argv[*i] + len + 1;
		return 1;
	}
	if (strcmp(argv[*i], name) != 0)
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s: %s needs a value\n", bin_name, name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int cli_parse(int argc, char **argv, unsigned int accept, struct cli *cli)
{
	int i, r;

	memset(cli, 0, sizeof(*cli));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			cli->help = true;
			return 0;
		}
		r = 0;
		if (accept & CLI_BACKEND)
			r = option_value(argc, argv, &i, "--backend",
					 &cli->backend);
		if (!r && (accept & CLI_REPORTS)) {
			r = option_value(argc, argv, &i, "--json", &cli->json);
			if (!r)
				r = option_value(argc, argv, &i, "--junit",
						 &cli->junit);
		}
		if (r < 0)
			return EXIT_USAGE;
		if (!r) {
			fprintf(stderr, "%s: unknown option %s\n", bin_name, a);
			return EXIT_USAGE;
		}
	}
	cli->npaths = argc - i;
	cli->paths = argv + i;
	if (!cli->npaths) {
		fprintf(stderr, "%s: no scenario given (--help)\n", bin_name);
		return EXIT_USAGE;
	}
	return 0;
}

static int path_add(struct path_list *pl, const char *path)
{
	char **v = realloc(pl->v, (pl->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	pl->v = v;
	v[pl->n] = strdup(path);
	if (!v[pl->n])
		return -ENOMEM;
	pl->n++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_scn(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && strcmp(name + len - 4, ".scn") == 0;
}

static int find_scn(struct path_list *pl, const char *dir)
{
	size_t first = pl->n;
	struct dirent *de;
	int err = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -errno;
	}
	while (!err && (de = readdir(d))) {
		struct stat sb;
		char *path;

		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			err = -ENOMEM;
			break;
		}
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			err = find_scn(pl, path);
		else if (is_scn(de->d_name))
			err = path_add(pl, path);
		free(path);
	}
	closedir(d);
	/* in name order: reports and runs are the same every time */
	if (pl->n > first)
		qsort(pl->v + first, pl->n - first, sizeof(*pl->v), cmp_str);
	return err;
}

static int collect(struct path_list *pl, int npaths, char **paths)
{
	int i, err = 0;

	for (i = 0; i < npaths && !err; i++) {
		struct stat sb;

		if (stat(paths[i], &sb)) {
			fprintf(stderr, "%s: %s\n", paths[i], strerror(errno));
			return -ENOENT;
		}
		err = S_ISDIR(sb.st_mode) ? find_scn(pl, paths[i]) :
					    path_add(pl, paths[i]);
	}
	if (!err && !pl->n) {
		fprintf(stderr, "%s: no *.scn file found\n", bin_name);
		err = -ENOENT;
	}
	return err;
}

int session_load(struct session *s, int npaths, char **paths)
{
	struct path_list pl = { 0 };
	int errors = 0, ret = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (collect(&pl, npaths, paths)) {
		ret = EXIT_USAGE;
		goto out_free;
	}
	s->scs = calloc(pl.n, sizeof(*s->scs));
	if (!s->scs) {
		ret = EXIT_USAGE;
		goto out_free;
	}
	s->n = pl.n;
	for (i = 0; i < pl.n; i++)
		errors += scenario_load(pl.v[i], &s->scs[i]);
	if (errors) {
		fprintf(stderr, "%s: %d error(s) in scenario files: nothing "
			"run\n", bin_name, errors);
		session_free(s);
		ret = EXIT_USAGE;
	}
out_free:
	for (i = 0; i < pl.n; i++)
		free(pl.v[i]);
	free(pl.v);
	return ret;
}

void session_free(struct session *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		scenario_free(s->scs[i]);
	free(s->scs);
	memset(s, 0, sizeof(*s));
}
