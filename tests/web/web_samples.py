"""Constants shared by the web tests."""

# The app answers only to loopback names (DNS-rebinding guard), so the client uses one.
BASE_URL = "http://127.0.0.1"

# Article text is hostile input: markup, event handlers, script URLs, a textarea breakout.
HOSTILE_TEXT = (
    "Breaking: <script>alert('script')</script> officials said 12 people were hurt in the blast on Monday.\n"
    "The photo <img src=x onerror=\"alert('onerror')\"> was removed by the editors of the paper.\n"
    "Readers can <a href=\"javascript:alert('link')\">click here</a> or open javascript:alert(document.cookie) for more.\n"
    "A comment closed the box: </textarea><script>alert('textarea')</script><textarea> and the police went on.\n"
)
