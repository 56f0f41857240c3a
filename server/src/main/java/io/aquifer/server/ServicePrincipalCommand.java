package io.aquifer.server;

import io.aquifer.catalog.PrincipalInfo;
import io.aquifer.catalog.PrincipalKind;
import io.aquifer.catalog.PrincipalStore;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code aquifer service-principal create|list}: service principals, named in grants and tokens by
 * their application id, as in Databricks.
 */
@Command(
    name = "service-principal",
    mixinStandardHelpOptions = true,
    description = "Creates and lists service principals (the server may be running).",
    subcommands = {ServicePrincipalCommand.Create.class, ServicePrincipalCommand.ListAll.class})
final class ServicePrincipalCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    CommandLine.usage(this, System.out);
    return 0;
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Creates a service principal and prints its application id: grant to it and make its"
            + " tokens ('aquifer token create --user APPLICATION_ID') by that id."
      })
  static final class Create implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Parameters(index = "0", paramLabel = "DISPLAY_NAME")
    String displayName;

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "service-principal",
          config,
          database -> {
            System.out.println(
                new PrincipalStore(database).createServicePrincipal(displayName).name());
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists service principals: application id and display name.")
  static final class ListAll implements Callable<Integer> {
    @CommandLine.Mixin AquiferCommand.ConfigOptions config = new AquiferCommand.ConfigOptions();

    @Override
    public Integer call() {
      return CatalogAdminCommand.withDatabase(
          "service-principal",
          config,
          database -> {
            System.out.println("application_id\tdisplay_name");
            for (PrincipalInfo p :
                new PrincipalStore(database).list(PrincipalKind.SERVICE_PRINCIPAL)) {
              System.out.println(p.name() + "\t" + p.displayNameOrName());
            }
            return 0;
          });
    }
  }
}
