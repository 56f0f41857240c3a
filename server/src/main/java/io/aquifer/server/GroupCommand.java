package io.aquifer.server;

import io.aquifer.catalog.GroupStore;
import io.aquifer.catalog.PrincipalInfo;
import io.aquifer.catalog.PrincipalKind;
import io.aquifer.catalog.PrincipalStore;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code aquifer group create|add-member|remove-member|list}: groups in the catalog database (the
 * server may be running; a membership change holds from the next statement on). Members are users,
 * service principals (by application id) or other groups; cycles are refused.
 */
@Command(
    name = "group",
    mixinStandardHelpOptions = true,
    description = "Creates groups and changes their members (the server may be running).",
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.AddMember.class,
      GroupCommand.RemoveMember.class,
      GroupCommand.ListGroups.class
    })
final class GroupCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a group.")
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "group",
          config,
          database -> {
            System.out.println(
                "created group " + new GroupStore(database).createGroup(group).name());
            return 0;
          });
    }
  }

  @Command(
      name = "add-member",
      mixinStandardHelpOptions = true,
      description = "Adds a user, service principal or group to a group.")
  static final class AddMember implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "MEMBER")
    String member;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "group",
          config,
          database -> {
            new GroupStore(database).addMember(group, member);
            System.out.println("added " + member + " to group " + group);
            return 0;
          });
    }
  }

  @Command(
      name = "remove-member",
      mixinStandardHelpOptions = true,
      description = "Removes a direct member from a group.")
  static final class RemoveMember implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "GROUP")
    String group;

    @Parameters(index = "1", paramLabel = "MEMBER")
    String member;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "group",
          config,
          database -> {
            new GroupStore(database).removeMember(group, member);
            System.out.println("removed " + member + " from group " + group);
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the groups and their direct members.")
  static final class ListGroups implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "group",
          config,
          database -> {
            GroupStore groups = new GroupStore(database);
            System.out.println("group\tmembers");
            for (PrincipalInfo g : new PrincipalStore(database).list(PrincipalKind.GROUP)) {
              System.out.println(
                  g.name()
                      + "\t"
                      + groups.members(g.name()).stream()
                          .map(PrincipalInfo::name)
                          .collect(Collectors.joining(",")));
            }
            return 0;
          });
    }
  }
}
