package replay

// CheckSelector reports whether s is a selector the replay mirror can
// apply (a comma list of simple compounds: tag, #id, .class, [attr],
// [attr=value]), as Config.MaskSelectors and BlockSelectors take. Project
// settings check their selectors with it, so that what masks a screenshot
// masks the replay too.
func CheckSelector(s string) error {
	_, err := parseSelector(s)
	return err
}
