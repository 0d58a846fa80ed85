extension HarmoniaError.Code {
    /// A map task's `for_each` resolved to something other than a list (task failure, never
    /// retried: the same upstream output gives the same value).
    public static let forEachNotAList: Self = "for_each_not_a_list"
}
