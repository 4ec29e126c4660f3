"""Log in to Tadamon through its log-in form, like a browser, and print the session's cookies.

For a scanner that is handed a session (docs/security.md, "Signed in"):

    python3 deploy/scan_login.py http://127.0.0.1:8131 fes@tadamon.ma tadamon-demo
    → csrftoken=…; tadamon_language=ar; sessionid=…

Standard library only; the server must be one you run (loopback)."""

import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request


def login(base, email, password):
    if not base.startswith(("http://", "https://")):
        sys.exit("the address must start with http:// or https://")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page_url = f"{base.rstrip('/')}/ar/accounts/login/"
    page = opener.open(page_url).read().decode()  # noqa: S310 (http or https, checked above)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": email, "password": password}).encode()
    try:
        response = opener.open(urllib.request.Request(page_url, data, headers={"Referer": page_url}))  # noqa: S310
    except urllib.error.HTTPError as error:
        sys.exit(f"log-in refused for {email} ({error.code})")
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies or response.geturl() == page_url:
        sys.exit(f"log-in refused for {email}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


if __name__ == "__main__":
    print(login(*sys.argv[1:4]))
