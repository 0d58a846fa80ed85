extension HarmoniaError.Code {
    /// A template's parameter declarations or definition do not hold together (a bad type,
    /// `minimum` above `maximum`, a default that breaks its own rules, a malformed placeholder).
    public static let invalidTemplate: Self = "invalid_template"
    /// A template's definition uses `${params.NAME}` for a NAME it does not declare.
    public static let undeclaredParameter: Self = "undeclared_parameter"
    /// The values given to instantiate a template are missing, mistyped or out of range; the
    /// problems list names each parameter.
    public static let invalidParameters: Self = "invalid_parameters"
}
