package dev.dynamo.node.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code admin}, the operator's command line (as {@code riak-admin} and {@code nodetool} are): it
 * calls one node's admin and actuator API over HTTP and prints aligned tables, or the node's JSON
 * with {@code --json}. It never starts Spring, so it starts in a moment.
 */
public final class AdminCli {

    static final String USAGE = """
            Usage: admin [--node URL] [--user USER] [--json] [--yes] <command>

            Commands:
              status                  members, ring version, change under way, hints, storage
              ring [--all]            partitions per owner and preference lists (--all: one line per partition)
              members                 the members with status, reachability and partitions owned
              members add HOST:PORT   add the node at that internode address
              members remove ID       remove a member after showing what moves (asks unless --yes)
              transfers               the partitions this node is copying: progress, rates, ETA
              key BUCKET KEY          a key's partition, preference list and each replica's versions
              hints                   the hints this node holds, per owner
              truncate BUCKET         delete every key of a bucket in the background (asks unless --yes)
              truncations             the truncations this node runs or ran, with their progress

            Options:
              --node URL    the node's HTTP address (env DYNAMO_NODE, default %s)
              --user USER   the operator's name (env DYNAMO_USER, default %s)
              --json        print the node's JSON instead of tables
              --yes, -y     do not ask before removing a member or truncating a bucket
              --help, -h    print this help
            The password comes from env DYNAMO_PASSWORD, else it is asked on the terminal.

            Exit status: 0 done, 1 the node refused (its reason on stderr), 2 usage error or no password,
            3 the node could not be reached, 4 a removal or truncation not confirmed.
            """.formatted(CliOptions.DEFAULT_NODE, CliOptions.DEFAULT_USER);

    private AdminCli() {
    }

    /** Runs {@code admin} with {@code args} (the words after {@code admin}) and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), Terminal.system(), System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    static int run(List<String> args, Map<String, String> env, Terminal terminal, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args, env);
        } catch (CliFailure e) {
            return fail(e, err, true);
        }
        if (options.help()) {
            out.print(USAGE);
            return ExitStatus.OK.code();
        }
        if (options.command() == null) {
            err.print(USAGE);
            return ExitStatus.USAGE.code();
        }
        try (Invocation invocation = new Invocation(options, env, terminal, out, JsonMapper.builder().build())) {
            switch (options.command()) {
                case "status" -> StatusCommand.run(invocation);
                case "ring" -> RingCommand.run(invocation);
                case "members" -> MembersCommand.run(invocation);
                case "transfers" -> TransfersCommand.run(invocation);
                case "key" -> KeyCommand.run(invocation);
                case "hints" -> HintsCommand.run(invocation);
                case "truncate" -> TruncateCommand.truncate(invocation);
                case "truncations" -> TruncateCommand.list(invocation);
                default -> throw new CliFailure(ExitStatus.USAGE, "unknown command " + options.command());
            }
            return ExitStatus.OK.code();
        } catch (CliFailure e) {
            return fail(e, err, e.status() == ExitStatus.USAGE);
        }
    }

    /** Checks a command's operand count; a usage error says what the command takes. */
    static void requireOperands(Invocation invocation, int count, String usage) {
        if (invocation.options().operands().size() != count) {
            throw new CliFailure(ExitStatus.USAGE, "usage: admin " + usage);
        }
    }

    private static int fail(CliFailure e, PrintStream err, boolean pointToHelp) {
        err.println("admin: " + e.getMessage());
        if (pointToHelp) {
            err.println("(admin --help lists the commands and options)");
        }
        return e.status().code();
    }
}
