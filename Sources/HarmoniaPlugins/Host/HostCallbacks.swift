import CHarmoniaPluginABI
import HarmoniaCore
import Logging

/// The `harmonia_callback_*` functions of the host table.
///
/// Each copies what it is lent before returning and never blocks: plugins may call them
/// from any thread, `complete` even from inside `invoke`.
enum HostCallbacks {
    static let log: harmonia_callback_log = { handle, level, invocation, message in
        let text = copyString(message)
        var logger = HostPluginContext.from(handle)?.logger ?? PluginHost.shared.logger
        if invocation != 0 {
            logger[metadataKey: "invocation"] = .stringConvertible(invocation)
            if let context = PluginHost.shared.invocations.context(invocation) {
                logger[metadataKey: "action"] = .string("\(context.component).\(context.action)")
            }
        }
        logger.log(level: Self.level(level), "\(text)")
    }

    static let setError: harmonia_callback_set_error = { sink, reason in
        ErrorSink.from(sink)?.reason = copyString(reason)
    }

    static let complete: harmonia_callback_complete = { invocation, outcome in
        let result = OutcomeDecoder.decode(outcome, context: PluginHost.shared.invocations.context(invocation))
        deliver(invocation, result)
    }

    /// A plugin's completion of `invocation`, from `complete` or from a plugin host child:
    /// resumes the waiting call, or logs why it was ignored.
    static func deliver(_ invocation: UInt64, _ result: InvocationResult) {
        let host = PluginHost.shared
        switch host.invocations.resolve(invocation, result, byPlugin: true) {
        case .resumed:
            break
        case .late(let context):
            // The ABI asks for exactly one completion, also after a deadline or cancel: this
            // is a plugin doing the right thing, not a fault.
            context.logger.debug(
                "plugin '\(context.plugin)' completed invocation \(invocation) (\(context.component).\(context.action)) after the host stopped waiting for it; ignored")
        case .alreadyResolved(let context):
            context.logger.warning(
                "plugin '\(context.plugin)' completed invocation \(invocation) (\(context.component).\(context.action)) a second time; ignored")
        case .unknown:
            host.logger.warning("a plugin completed unknown invocation \(invocation); ignored")
        }
    }

    static let progress: harmonia_callback_progress = { invocation, message in
        guard let context = PluginHost.shared.invocations.context(invocation),
            PluginHost.shared.invocations.isPending(invocation)
        else { return }
        context.progress(copyString(message))
    }

    static let httpRequest: harmonia_callback_http_request = { handle, request, onResponse, userData in
        HostHTTP.start(
            plugin: HostPluginContext.from(handle), request: request,
            reply: HTTPReply(hook: onResponse, userData: userData))
    }

    static func level(_ level: harmonia_type_log_level) -> Logger.Level {
        switch level {
        case HARMONIA_LOG_TRACE: return .trace
        case HARMONIA_LOG_DEBUG: return .debug
        case HARMONIA_LOG_INFO: return .info
        case HARMONIA_LOG_WARNING: return .warning
        default: return .error
        }
    }
}
