/// How the `starts` scenario sends its requests and times their acknowledgements.
public enum StartsClient: String, Sendable, CaseIterable {
    /// Blocking keep-alive sockets on threads of their own (`SocketStartSchedule`): the
    /// least client work between the answer and its timestamp. Plain `http://` to an IPv4
    /// address or `localhost` only.
    case socket
    /// AsyncHTTPClient, like the other scenarios: any URL it takes, with its own hops in the
    /// measured latency (docs/benchmarks.md has both for the same server).
    case httpClient = "http-client"
}
