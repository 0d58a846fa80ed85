import CHarmoniaPluginABI
import HarmoniaCore

/// Turns a plugin's borrowed `harmonia_type_outcome` into the engine's `InvocationResult`.
///
/// Whatever the plugin sends, the result is well-formed: output that is not JSON, an
/// unknown status or a missing outcome become a non-retryable `invalid_plugin_output`.
enum OutcomeDecoder {
    static func decode(_ outcome: UnsafePointer<harmonia_type_outcome>?, context: InvocationTable.Context?) -> InvocationResult {
        let what = context.map { "plugin '\($0.plugin)' (\($0.component).\($0.action))" } ?? "a plugin"
        guard let outcome else {
            return .failure(TaskFailure(.invalidPluginOutput, "\(what) completed without an outcome", retryable: false))
        }
        // struct_size first, alone: no byte past the plugin's declared size is read.
        let size = DeclaredStruct.size(at: outcome)
        let minimum = MemoryLayout<harmonia_type_outcome>.offset(of: \.retryable)! + MemoryLayout<Bool>.size
        guard size >= minimum else {
            return .failure(
                TaskFailure(.invalidPluginOutput, "\(what) sent an outcome of struct_size \(size) (< \(minimum))", retryable: false))
        }
        var o = harmonia_type_outcome()
        DeclaredStruct.copy(into: &o, from: outcome, declaredSize: size)
        let output = copyBytes(o.output_json)
        switch o.status {
        case HARMONIA_STATUS_SUCCEEDED:
            if output.isEmpty { return .success(.emptyObject) }
            do {
                return .success(try JSONValue.parse(output))
            } catch {
                return .failure(
                    TaskFailure(
                        .invalidPluginOutput, "\(what) returned output that is not valid JSON: \(error.localizedDescriptionText)",
                        retryable: false, details: ["output_prefix": .string(String(decoding: output.prefix(200), as: UTF8.self))]))
            }
        case HARMONIA_STATUS_FAILED, HARMONIA_STATUS_CANCELED:
            let canceled = o.status == HARMONIA_STATUS_CANCELED
            var code = copyString(o.error_code)
            if code.isEmpty { code = canceled ? HarmoniaError.Code.canceled.rawValue : HarmoniaError.Code.pluginError.rawValue }
            var message = copyString(o.error_message)
            if message.isEmpty { message = canceled ? "\(what) canceled the call" : "\(what) failed without a message" }
            // Details are optional; unreadable ones are dropped rather than hiding the failure.
            let details = output.isEmpty ? nil : try? JSONValue.parse(output)
            return .failure(TaskFailure(code: code, message: message, retryable: canceled ? false : o.retryable, details: details))
        default:
            return .failure(TaskFailure(.invalidPluginOutput, "\(what) completed with unknown status \(o.status)", retryable: false))
        }
    }
}

extension Error {
    /// The message of a `HarmoniaError`, else the error's description.
    var localizedDescriptionText: String {
        (self as? HarmoniaError)?.message ?? String(describing: self)
    }
}
