import HarmoniaClient
import NIOHTTP1
import HarmoniaCore

extension ToolCatalog {
    static let componentName = ToolParameter("component_name", .string(minLength: 1), required: true, "the component, e.g. harmonia or ergon")

    static let componentTools: [HarmoniaTool] = [
        HarmoniaTool("ListComponents", "The components Harmonia can call, their actions and whether they are available.", readOnly: true, parameters: []) {
            _, client in
            try await client.send(.GET, "\(api)/components")
        },
        HarmoniaTool(
            "GetComponentActions", "A component's actions with their descriptions and input schemas.", readOnly: true,
            parameters: [componentName]
        ) { arguments, client in
            try await client.send(.GET, "\(api)/components/\(segment(arguments.require("component_name")))/actions")
        },
        HarmoniaTool(
            "ExecuteComponentAction", "Run one action of a component directly, outside any workflow, and answer its output.",
            parameters: [
                componentName,
                ToolParameter("action", .string(minLength: 1), required: true, "the action's name"),
                ToolParameter("parameters", .object, default: [:], "the action's input"),
            ]
        ) { arguments, client in
            try await client.send(
                .POST,
                "\(api)/components/\(segment(arguments.require("component_name")))/actions/\(segment(arguments.require("action")))",
                body: arguments["parameters"] ?? [:])
        },
    ]
}
