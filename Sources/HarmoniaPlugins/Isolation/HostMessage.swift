import HarmoniaCore

/// One message between the server and a plugin host child (`harmonia plugin-host`).
///
/// Binary, not JSON: a call's input, context and output are already JSON bytes and travel
/// as they are, so a frame costs one copy and no second parse of the envelope. Every frame
/// is `u32 length` (little endian, of what follows) `| u8 kind | u64 id | fields`, a field
/// being a `u8`, a `u32`/`u64` (little endian) or `u32 length | bytes`. The id is the
/// invocation token for call messages, the request id for HTTP, a nonce for pings.
enum HostMessage: Sendable, Equatable {
    // Server → child.
    /// Create the component's instance (`on_instance_new`) with its `config_json`.
    case instanceNew(component: String, config: [UInt8])
    /// `on_invoke` with the host-issued invocation token.
    case invoke(id: UInt64, action: String, input: [UInt8], context: [UInt8])
    /// `on_cancel`.
    case cancel(id: UInt64)
    case ping(nonce: UInt64)
    /// The answer to the child's `httpRequest` of the same id, as the host's HTTP gave it.
    case httpResponse(id: UInt64, answer: HostHTTPAnswer)

    // Child → server.
    /// Sent once, after the load: the plugin's record (JSON of `PluginRecord`), or why it
    /// could not be loaded.
    case hello(record: [UInt8], failure: String?)
    /// The answer to `instanceNew`: nil when the instance exists, else the plugin's reason.
    case instanceResult(failure: String?)
    /// The plugin's one completion of an invocation.
    case complete(id: UInt64, result: InvocationResult)
    case progress(id: UInt64, message: String)
    /// A log line of the plugin (invocation 0 when it names none) or of the child itself.
    case log(invocation: UInt64, level: UInt8, message: String)
    case pong(nonce: UInt64)
    /// A host HTTP request the plugin made; the server performs it.
    case httpRequest(id: UInt64, request: HostHTTPRequest)

    /// The largest frame either side accepts: a call's input or output is bounded well below.
    static let maxFrame = 256 << 20

    var kind: UInt8 {
        switch self {
        case .instanceNew: 1
        case .invoke: 2
        case .cancel: 3
        case .ping: 4
        case .httpResponse: 5
        case .hello: 64
        case .instanceResult: 65
        case .complete: 66
        case .progress: 67
        case .log: 68
        case .pong: 69
        case .httpRequest: 70
        }
    }

    /// The whole frame, length prefix included.
    func encoded() -> [UInt8] {
        var w = FrameWriter()
        w.u8(kind)
        switch self {
        case .instanceNew(let component, let config):
            w.u64(0)
            w.string(component)
            w.bytes(config)
        case .invoke(let id, let action, let input, let context):
            w.u64(id)
            w.string(action)
            w.bytes(input)
            w.bytes(context)
        case .cancel(let id):
            w.u64(id)
        case .ping(let nonce), .pong(let nonce):
            w.u64(nonce)
        case .httpResponse(let id, let answer):
            w.u64(id)
            w.u32(UInt32(bitPattern: answer.transportError))
            w.u32(UInt32(bitPattern: answer.status))
            w.bytes(answer.headers)
            w.bytes(answer.body)
            w.string(answer.error)
        case .hello(let record, let failure):
            w.u64(0)
            w.bytes(record)
            w.optionalString(failure)
        case .instanceResult(let failure):
            w.u64(0)
            w.optionalString(failure)
        case .complete(let id, let result):
            w.u64(id)
            switch result {
            case .success(let output):
                w.u8(0)
                w.bytes(output.jsonBytes())
            case .failure(let failure):
                w.u8(1)
                w.string(failure.code)
                w.string(failure.message)
                w.u8(failure.retryable ? 1 : 0)
                w.bytes(failure.details?.jsonBytes() ?? [])
            }
        case .progress(let id, let message):
            w.u64(id)
            w.string(message)
        case .log(let invocation, let level, let message):
            w.u64(invocation)
            w.u8(level)
            w.string(message)
        case .httpRequest(let id, let request):
            w.u64(id)
            w.u64(request.invocation)
            w.string(request.method)
            w.string(request.url)
            w.bytes(request.headers)
            w.bytes(request.body)
            w.u64(request.timeoutMilliseconds)
        }
        return w.finished()
    }

    /// Decodes one frame body (after the length prefix).
    static func decode(_ body: ArraySlice<UInt8>) throws(HostProtocolError) -> HostMessage {
        var r = FrameReader(body)
        let kind = try r.u8()
        let id = try r.u64()
        switch kind {
        case 1: return .instanceNew(component: try r.string(), config: try r.bytes())
        case 2: return .invoke(id: id, action: try r.string(), input: try r.bytes(), context: try r.bytes())
        case 3: return .cancel(id: id)
        case 4: return .ping(nonce: id)
        case 5:
            return .httpResponse(
                id: id,
                answer: HostHTTPAnswer(
                    transportError: Int32(bitPattern: try r.u32()), status: Int32(bitPattern: try r.u32()), headers: try r.bytes(),
                    body: try r.bytes(), error: try r.string()))
        case 64: return .hello(record: try r.bytes(), failure: try r.optionalString())
        case 65: return .instanceResult(failure: try r.optionalString())
        case 66:
            if try r.u8() == 0 {
                let output = try r.bytes()
                // The child decoded the plugin's outcome already; this is its own JSON.
                guard let value = try? JSONValue.parse(output) else { throw HostProtocolError("complete: output is not JSON") }
                return .complete(id: id, result: .success(value))
            }
            let code = try r.string()
            let message = try r.string()
            let retryable = try r.u8() != 0
            let details = try r.bytes()
            return .complete(
                id: id,
                result: .failure(
                    TaskFailure(code: code, message: message, retryable: retryable, details: details.isEmpty ? nil : try? JSONValue.parse(details))))
        case 67: return .progress(id: id, message: try r.string())
        case 68: return .log(invocation: id, level: try r.u8(), message: try r.string())
        case 69: return .pong(nonce: id)
        case 70:
            return .httpRequest(
                id: id,
                request: HostHTTPRequest(
                    invocation: try r.u64(), method: try r.string(), url: try r.string(), headers: try r.bytes(),
                    body: try r.bytes(), timeoutMilliseconds: try r.u64()))
        default: throw HostProtocolError("unknown frame kind \(kind)")
        }
    }
}

/// A frame that does not follow the protocol: the connection is given up.
struct HostProtocolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
