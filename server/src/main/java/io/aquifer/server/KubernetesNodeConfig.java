package io.aquifer.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the gateway runs clusters as Kubernetes pods ({@code warehouse-nodes = kubernetes}, see
 * docs/warehouses.md).
 *
 * @param apiServer the Kubernetes API server's URL (property {@code kubernetes-api-server}); empty:
 *     found as {@code kubectl} finds it (in a pod: its service account; else {@code
 *     ~/.kube/config})
 * @param namespace where node pods run (property {@code kubernetes-namespace}); empty: the client's
 *     namespace (in a pod: its own)
 * @param image the node pods' container image (property {@code kubernetes-node-image}); empty: the
 *     template's
 * @param template a YAML pod manifest the node pods are made from (property {@code
 *     kubernetes-node-template}); empty: the built-in one, {@code
 *     io/aquifer/server/node-pod-template.yaml} in the server's resources
 * @param port the Flight port a node listens on in its pod (property {@code kubernetes-node-port},
 *     default 8815)
 * @param gatewayName the value of the {@code aquifer.io/gateway} label on this gateway's pods and
 *     secrets, so that two gateways can share a namespace (property {@code
 *     kubernetes-gateway-name}, default {@code aquifer})
 * @param startTimeout how long a node pod may take to be ready, image pull included (property
 *     {@code kubernetes-node-start-timeout}, whole seconds, default 300)
 * @param gatewayPod the name of the pod the gateway runs in, in the same namespace (property {@code
 *     kubernetes-gateway-pod}, e.g. {@code AQUIFER_KUBERNETES_GATEWAY_POD} from the downward API);
 *     node pods are then owned by it, so that Kubernetes deletes them with it. Empty: not owned
 */
public record KubernetesNodeConfig(
    Optional<String> apiServer,
    Optional<String> namespace,
    Optional<String> image,
    Optional<Path> template,
    int port,
    String gatewayName,
    Duration startTimeout,
    Optional<String> gatewayPod) {
  public static final String API_SERVER = "kubernetes-api-server";
  public static final String NAMESPACE = "kubernetes-namespace";
  public static final String IMAGE = "kubernetes-node-image";
  public static final String TEMPLATE = "kubernetes-node-template";
  public static final String PORT = "kubernetes-node-port";
  public static final String GATEWAY_NAME = "kubernetes-gateway-name";
  public static final String START_TIMEOUT = "kubernetes-node-start-timeout";
  public static final String GATEWAY_POD = "kubernetes-gateway-pod";
  public static final Set<String> PROPERTIES =
      Set.of(
          API_SERVER, NAMESPACE, IMAGE, TEMPLATE, PORT, GATEWAY_NAME, START_TIMEOUT, GATEWAY_POD);

  /**
   * Label values: at most 63 of letters, digits, '-', '_', '.', starting and ending alphanumeric.
   */
  private static final java.util.regex.Pattern LABEL_VALUE =
      java.util.regex.Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  public KubernetesNodeConfig {
    requireNonNull(apiServer, "apiServer");
    requireNonNull(namespace, "namespace");
    requireNonNull(image, "image");
    requireNonNull(template, "template");
    requireNonNull(gatewayName, "gatewayName");
    requireNonNull(startTimeout, "startTimeout");
    requireNonNull(gatewayPod, "gatewayPod");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(PORT + " must be 1 to 65535: " + port);
    }
    if (!LABEL_VALUE.matcher(gatewayName).matches()) {
      throw new IllegalArgumentException(
          GATEWAY_NAME
              + " must be a Kubernetes label value (1 to 63 letters, digits, '-', '_', '.',"
              + " starting and ending with a letter or digit): "
              + gatewayName);
    }
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException(START_TIMEOUT + " must be at least 1 second");
    }
  }

  public static KubernetesNodeConfig defaults() {
    return new KubernetesNodeConfig(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        8815,
        "aquifer",
        Duration.ofMinutes(5),
        Optional.empty());
  }

  static KubernetesNodeConfig load(Map<String, String> values) {
    KubernetesNodeConfig d = defaults();
    return new KubernetesNodeConfig(
        text(values, API_SERVER),
        text(values, NAMESPACE),
        text(values, IMAGE),
        text(values, TEMPLATE).map(Path::of),
        values.containsKey(PORT) ? whole(PORT, values.get(PORT)) : d.port(),
        text(values, GATEWAY_NAME).orElse(d.gatewayName()),
        values.containsKey(START_TIMEOUT)
            ? Duration.ofSeconds(whole(START_TIMEOUT, values.get(START_TIMEOUT)))
            : d.startTimeout(),
        text(values, GATEWAY_POD));
  }

  private static Optional<String> text(Map<String, String> values, String key) {
    String value = values.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static int whole(String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number: " + value);
    }
  }
}
