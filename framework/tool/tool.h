#ifndef CBENCH_TOOL_H
#define CBENCH_TOOL_H

/* Subcommands of the `cbench` tool: argv[0] is the subcommand's name. Each
 * returns the tool's exit status (0, 1, 2). */
int cbench_tool_platform(int argc, char **argv);
int cbench_tool_report(int argc, char **argv);
int cbench_tool_history(int argc, char **argv);
int cbench_tool_dashboard(int argc, char **argv);
int cbench_tool_baseline(int argc, char **argv);
int cbench_tool_github(int argc, char **argv);
int cbench_tool_ab(int argc, char **argv);

#endif
