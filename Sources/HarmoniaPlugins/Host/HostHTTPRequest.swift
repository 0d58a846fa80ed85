import CHarmoniaPluginABI

/// A plugin's `http_request`, copied out of the ABI struct: what the host performs, in
/// either isolation mode (a plugin host child sends it to the server as it is).
struct HostHTTPRequest: Sendable, Equatable {
    /// The invocation the request belongs to (0: none).
    var invocation: UInt64
    var method: String
    var url: String
    /// `headers_json` as the plugin gave it (empty: none).
    var headers: [UInt8]
    var body: [UInt8]
    /// 0: the host's default timeout.
    var timeoutMilliseconds: UInt64
}

/// What the host answers a host HTTP request: the fields of `harmonia_type_http_response`.
struct HostHTTPAnswer: Sendable, Equatable {
    /// A `harmonia_type_transport_error` value.
    var transportError: Int32
    var status: Int32
    var headers: [UInt8]
    var body: [UInt8]
    var error: String
}
