import CHarmoniaPluginABI
import HarmoniaCore

/// What a plugin's descriptor says about it, once checked.
struct PluginDescription: Sendable, Hashable {
    var name: String
    var version: String
    var abiMajor: UInt32
    var abiMinor: UInt32
    var buildSignature: String
    /// Swift plugins share the server's runtime and are never unloaded.
    var isSwift: Bool
    var components: [PluginComponent]

    var abiVersion: String { "\(abiMajor).\(abiMinor)" }
}

/// The version handshake: reads a descriptor and decides whether this server can use it.
///
/// Pure apart from reading the descriptor memory, so each refusal is testable: too small a
/// struct, another ABI major, an unknown build signature, a missing hook, a bad manifest.
enum PluginHandshake {
    /// Bytes a 1.0 descriptor covers: up to and including `on_cancel`.
    static let minimumDescriptorSize =
        MemoryLayout<harmonia_type_plugin_descriptor>.offset(of: \.on_cancel)! + MemoryLayout<harmonia_on_cancel?>.size
    /// Bytes needed to read the ABI version at all.
    static let versionPrefixSize =
        MemoryLayout<harmonia_type_plugin_descriptor>.offset(of: \.abi_minor)! + MemoryLayout<UInt32>.size

    /// The checked description, or the reason the plugin is refused (as an error message).
    ///
    /// Reads no byte the plugin did not declare: first `struct_size` alone, then the version
    /// fields once `struct_size` covers them, then the descriptor copied up to the smaller of
    /// its `struct_size` and ours (a plugin's descriptor may be smaller than this host's
    /// struct, and may end where its mapping ends).
    static func describe(_ descriptor: UnsafePointer<harmonia_type_plugin_descriptor>) -> Result<PluginDescription, HarmoniaError> {
        let raw = UnsafeRawPointer(descriptor)
        let size = DeclaredStruct.size(at: raw)
        guard size >= versionPrefixSize else {
            return .failure(refusal("descriptor struct_size \(size) is too small to hold an ABI version"))
        }
        let layout = MemoryLayout<harmonia_type_plugin_descriptor>.self
        let major = raw.load(fromByteOffset: layout.offset(of: \.abi_major)!, as: UInt32.self)
        let minor = raw.load(fromByteOffset: layout.offset(of: \.abi_minor)!, as: UInt32.self)
        guard major == UInt32(HARMONIA_ABI_VERSION_MAJOR) else {
            return .failure(
                refusal("built for plugin ABI \(major).\(minor); this server speaks ABI \(HARMONIA_ABI_VERSION_MAJOR).x"))
        }
        guard size >= minimumDescriptorSize else {
            return .failure(
                refusal("descriptor struct_size \(size) is smaller than an ABI 1.0 descriptor (\(minimumDescriptorSize))"))
        }
        var d = harmonia_type_plugin_descriptor()
        DeclaredStruct.copy(into: &d, from: raw, declaredSize: size)
        let signature = d.build_signature.map { String(cString: $0) } ?? ""
        let isSwift: Bool
        if signature == SwiftToolchain.cSignature {
            isSwift = false
        } else if signature == SwiftToolchain.swiftSignature {
            isSwift = true
        } else if signature.hasPrefix(HARMONIA_SIGNATURE_SWIFT_PREFIX) {
            let other = signature.dropFirst(HARMONIA_SIGNATURE_SWIFT_PREFIX.count)
            return .failure(
                refusal("built with Swift \(other), but this server runs Swift \(SwiftToolchain.version): a Swift plugin must use the server's toolchain"))
        } else {
            return .failure(
                refusal("unknown build signature '\(signature)' (expected '\(SwiftToolchain.cSignature)' or '\(SwiftToolchain.swiftSignature)')"))
        }
        var missing: [String] = []
        if d.on_init == nil { missing.append("on_init") }
        if d.on_shutdown == nil { missing.append("on_shutdown") }
        if d.on_instance_new == nil { missing.append("on_instance_new") }
        if d.on_instance_destroy == nil { missing.append("on_instance_destroy") }
        if d.on_invoke == nil { missing.append("on_invoke") }
        if d.on_cancel == nil { missing.append("on_cancel") }
        guard missing.isEmpty else { return .failure(refusal("descriptor lacks required hooks: \(missing.joined(separator: ", "))")) }
        let name = d.name.map { String(cString: $0) } ?? ""
        guard !name.isEmpty else { return .failure(refusal("descriptor has no name")) }
        let components: [PluginComponent]
        switch parseManifest(d.manifest_json.map { String(cString: $0) } ?? "") {
        case .success(let parsed): components = parsed
        case .failure(let error): return .failure(error)
        }
        return .success(
            PluginDescription(
                name: name, version: d.version.map { String(cString: $0) } ?? "", abiMajor: d.abi_major,
                abiMinor: d.abi_minor, buildSignature: signature, isSwift: isSwift, components: components))
    }

    /// Reads `{"components": [{"name", "description"?, "actions": [{"name", "description"?, "input_schema"?}]}]}`.
    static func parseManifest(_ text: String) -> Result<[PluginComponent], HarmoniaError> {
        let manifest: JSONValue
        do {
            manifest = try JSONValue.parse(text)
        } catch {
            return .failure(refusal("manifest_json is not JSON: \(error)"))
        }
        guard let list = manifest["components"]?.arrayValue, !list.isEmpty else {
            return .failure(refusal("manifest lists no components"))
        }
        var components: [PluginComponent] = []
        for (index, entry) in list.enumerated() {
            guard let name = entry["name"]?.stringValue, !name.isEmpty else {
                return .failure(refusal("manifest component \(index) has no name"))
            }
            var actions: [ActionDescriptor] = []
            for (actionIndex, action) in (entry["actions"]?.arrayValue ?? []).enumerated() {
                guard let actionName = action["name"]?.stringValue, !actionName.isEmpty else {
                    return .failure(refusal("manifest component '\(name)' action \(actionIndex) has no name"))
                }
                actions.append(
                    ActionDescriptor(
                        name: actionName, description: action["description"]?.stringValue ?? "",
                        inputSchema: action["input_schema"] ?? .emptyObject))
            }
            components.append(
                PluginComponent(name: name.lowercased(), description: entry["description"]?.stringValue ?? "", actions: actions))
        }
        return .success(components)
    }

    static func refusal(_ reason: String) -> HarmoniaError {
        HarmoniaError(.pluginRefused, reason)
    }
}
