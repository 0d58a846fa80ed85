#ifndef HARMONIA_SPAWN_H
#define HARMONIA_SPAWN_H

#include <spawn.h>

/// GNU extensions of posix_spawn that Swift's Glibc module does not show (it is imported
/// without _GNU_SOURCE), wrapped here where they are compiled with it.

/// Closes every descriptor from `lowest` up in the child (glibc 2.34+).
int harmonia_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int lowest);

/// Changes the child's working directory before exec.
int harmonia_spawn_add_chdir(posix_spawn_file_actions_t *actions, const char *path);

/// pipe2(fds, O_CLOEXEC): both ends close on exec, atomically.
int harmonia_pipe_cloexec(int fds[2]);

#endif
