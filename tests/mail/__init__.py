import warnings

# msgraph-sdk's generated request builders (and kiota) warn about their own deprecated classes while being
# imported (by bot.mail, from this package's conftest, before its pytest_configure adds the
# same filter for the test run); nothing here can act on that.
warnings.filterwarnings("ignore", "(This class|GetQueryParameters) is deprecated", DeprecationWarning)
