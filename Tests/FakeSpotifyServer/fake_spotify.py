#!/usr/bin/env python3
"""A fake Spotify (accounts service + Web API) for spotlog's tests. Standard library only.

    python3 fake_spotify.py [--port 0] [--port-file PATH]

Binds 127.0.0.1 only, writes the port to --port-file, prints "listening on http://127.0.0.1:PORT"
and serves until SIGTERM. The same server answers the accounts endpoints (/authorize,
/api/token) and the API (/v1/...), so tests point both SPOTLOG_SPOTIFY_ACCOUNTS_URL and
SPOTLOG_SPOTIFY_API_URL at it.

Several users may log in: the `user` of the config when a login authorises is the profile its tokens
belong to (`/v1/me`), and a fault can name the user whose requests it hits.

Responses are built from the shapes in Fixtures/spotify-shapes/ (taken from the Web API
reference). Tests script it over a control API (no auth):
  POST /_control/reset                       defaults again
  POST /_control/config   {...}              client_id, client_secret, user, expires_in, deny, wrong_state,
                                             omit_refresh_token, batch_endpoints_gone
  POST /_control/timeline {"plays": [{"played_at": ms, "track_id": id}]}
  POST /_control/faults   {"faults": [{"path": prefix, "user": spotify id (only that user's requests),
                                        "status": 429|5xx|401, "retry_after": s,
                                        "delay_ms": n, "malformed": true, "body": {...}, "times": n}]}
  POST /_control/revoke                      refresh tokens become invalid (invalid_grant)
  GET  /_control/requests                    every request received (method, path, query, headers, form)

recently-played cursor semantics (as the reference documents them): items are newest first;
`before=T` returns plays strictly before T, `after=T` plays strictly after T (the oldest `limit`
of them, so paging forward with cursors.after misses nothing); only the last 50 plays of the
timeline are reachable; `cursors` is {"after": newest ms, "before": oldest ms} as strings, or
null when there are no items; `next` pages further back with `before`.
"""
import argparse, base64, copy, hashlib, json, os, pathlib, secrets, signal, threading, time, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHAPES = pathlib.Path(__file__).resolve().parent.parent.parent / "Fixtures" / "spotify-shapes"
REACHABLE_PLAYS = 50


def shape(name):
    return json.loads((SHAPES / f"{name}.json").read_text())


def catalogue():
    """Ten tracks by five artists (non-ASCII names included), built from the reference shapes."""
    names = [("Björk", ["Jóga", "Hunter"]), ("Sigur Rós", ["Hoppípolla", "Glósóli"]), ("坂本龍一", ["Energy Flow", "Coda"]),
             ("Radiohead", ["Nude", "Reckoner"]), ("Beyoncé", ["Halo", "Formation"])]
    artists, tracks = {}, {}
    for index, (artist_name, songs) in enumerate(names):
        artist = shape("artist")
        artist_id = f"artist{index:02d}" + "x" * 14
        artist.update(id=artist_id, name=artist_name, uri=f"spotify:artist:{artist_id}",
                      href=f"https://api.spotify.com/v1/artists/{artist_id}")
        artists[artist_id] = artist
        for number, song in enumerate(songs):
            track = shape("track")
            track_id = f"track{index:02d}{number}" + "y" * 14
            reference = {k: artist[k] for k in ("external_urls", "href", "id", "name", "type", "uri")}
            track.update(id=track_id, name=song, uri=f"spotify:track:{track_id}", artists=[reference],
                         href=f"https://api.spotify.com/v1/tracks/{track_id}", duration_ms=180000 + 1000 * number)
            track["album"] = dict(track["album"], name=f"{artist_name} Album", artists=[reference])
            tracks[track_id] = track
    return artists, tracks


class State:
    """Everything the fake remembers, behind one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.config = {"client_id": "test-client", "client_secret": "fake-secret", "user": shape("me"), "expires_in": 3600,
                       "deny": False, "wrong_state": False, "omit_refresh_token": False, "batch_endpoints_gone": False}
        self.codes, self.access_tokens, self.refresh_tokens = {}, {}, set()
        # Whose each token is (a Spotify user id), and each user's profile: several users may log in.
        self.token_users, self.profiles = {}, {}
        self.faults, self.requests = [], []
        self.artists, self.tracks = catalogue()
        start = 1_714_560_000_000  # 2024-05-01T10:40:00Z
        ids = sorted(self.tracks)
        self.timeline = [{"played_at": start + i * 240_000, "track_id": ids[i % len(ids)]} for i in range(120)]


STATE = State()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def dispatch(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)) if body and not url.path.startswith("/_control") else {}
        if not url.path.startswith("/_control"):
            with STATE.lock:
                STATE.requests.append({"method": method, "path": url.path, "query": query, "form": form,
                                       "headers": {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}})
                bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
                fault = self.take_fault(url.path, STATE.token_users.get(bearer))
            if fault and self.apply_fault(fault):
                return
        routes = {("POST", "/api/token"): self.token, ("GET", "/authorize"): self.authorize}
        if url.path.startswith("/_control"):
            return self.control(method, url.path, body)
        if (method, url.path) in routes:
            return routes[(method, url.path)](query, form)
        if method == "GET" and url.path.startswith("/v1/"):
            return self.api(url.path, query)
        self.send_json(404, {"error": {"status": 404, "message": "Service not found"}})

    # Faults ---------------------------------------------------------------------------------

    def take_fault(self, path, user):
        for fault in STATE.faults:
            if fault.get("user") not in (None, user):
                continue
            if path.startswith(fault.get("path", "/")) and fault.get("times", 1) > 0:
                fault["times"] = fault.get("times", 1) - 1
                return fault
        return None

    def apply_fault(self, fault):
        """Applies a fault; True when it answered the request."""
        if "delay_ms" in fault:
            time.sleep(fault["delay_ms"] / 1000)
        if fault.get("malformed"):
            self.send_raw(200, b'{"items": [ {"track": ', "application/json")
            return True
        status = fault.get("status")
        if not status:
            return False
        default = {"error": {"status": status, "message": {429: "API rate limit exceeded", 401: "The access token expired"}
                             .get(status, "Service unavailable")}}
        headers = {"Retry-After": str(fault.get("retry_after", 1))} if status == 429 else {}
        self.send_json(status, fault.get("body", default), headers)
        return True

    # Accounts -------------------------------------------------------------------------------

    def authorize(self, query, _form):
        config = STATE.config
        required = ("client_id", "response_type", "redirect_uri", "state")
        if any(not query.get(key) for key in required) or query["response_type"] != "code":
            return self.send_json(400, {"error": "invalid_request", "error_description": "missing parameter"})
        if query["client_id"] != config["client_id"]:
            return self.send_json(400, {"error": "invalid_client", "error_description": "Invalid client"})
        pkce = query.get("code_challenge_method") == "S256" and query.get("code_challenge")
        state = "not-the-state" if config["wrong_state"] else query["state"]
        if config["deny"]:
            location = f"{query['redirect_uri']}?" + urllib.parse.urlencode({"error": "access_denied", "state": state})
        else:
            code = secrets.token_urlsafe(24)
            with STATE.lock:
                STATE.profiles[config["user"]["id"]] = copy.deepcopy(config["user"])
                STATE.codes[code] = {"client_id": query["client_id"], "redirect_uri": query["redirect_uri"],
                                     "user": config["user"]["id"],
                                     "challenge": query.get("code_challenge") if pkce else None, "scope": query.get("scope", "")}
            location = f"{query['redirect_uri']}?" + urllib.parse.urlencode({"code": code, "state": state})
        self.send_raw(302, b"", "text/plain", {"Location": location})

    def token(self, _query, form):
        config = STATE.config
        basic = self.headers.get("Authorization", "")
        client = form.get("client_id")
        if basic.startswith("Basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            if client_id != config["client_id"] or secret != config["client_secret"]:
                return self.send_json(400, {"error": "invalid_client", "error_description": "Invalid client secret"})
            client = client_id
        if client != config["client_id"]:
            return self.send_json(400, {"error": "invalid_client", "error_description": "Invalid client"})
        grant = form.get("grant_type")
        with STATE.lock:
            if grant == "authorization_code":
                code = STATE.codes.pop(form.get("code", ""), None)
                if not code or code["redirect_uri"] != form.get("redirect_uri"):
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "Invalid authorization code"})
                if code["challenge"] is not None:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != code["challenge"]:
                        return self.send_json(400, {"error": "invalid_grant", "error_description": "code_verifier was incorrect"})
                elif not basic:
                    return self.send_json(400, {"error": "invalid_request", "error_description": "code_verifier required"})
                scope, new_refresh, user = code["scope"], True, code["user"]
            elif grant == "refresh_token":
                if form.get("refresh_token") not in STATE.refresh_tokens:
                    return self.send_json(400, {"error": "invalid_grant", "error_description": "Refresh token revoked"})
                scope, new_refresh = "user-read-recently-played", not config["omit_refresh_token"]
                user = STATE.token_users.get(form["refresh_token"])
                if new_refresh:
                    STATE.refresh_tokens.discard(form["refresh_token"])
            else:
                return self.send_json(400, {"error": "unsupported_grant_type", "error_description": grant or "missing"})
            answer = shape("token")
            answer.update(access_token=secrets.token_urlsafe(32), expires_in=config["expires_in"], scope=scope)
            STATE.access_tokens[answer["access_token"]] = time.time() + config["expires_in"]
            STATE.token_users[answer["access_token"]] = user
            if new_refresh:
                answer["refresh_token"] = secrets.token_urlsafe(32)
                STATE.refresh_tokens.add(answer["refresh_token"])
                STATE.token_users[answer["refresh_token"]] = user
            else:
                answer.pop("refresh_token", None)
        self.send_json(200, answer)

    # API ------------------------------------------------------------------------------------

    def api(self, path, query):
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        with STATE.lock:
            expiry = STATE.access_tokens.get(token)
        if expiry is None:
            return self.send_json(401, {"error": {"status": 401, "message": "Invalid access token"}})
        if expiry < time.time():
            return self.send_json(401, {"error": {"status": 401, "message": "The access token expired"}})
        parts = path.strip("/").split("/")
        with STATE.lock:
            tracks, artists, gone = STATE.tracks, STATE.artists, STATE.config["batch_endpoints_gone"]
            if path == "/v1/me":
                return self.send_json(200, STATE.profiles.get(STATE.token_users.get(token), STATE.config["user"]))
            if path == "/v1/me/player/recently-played":
                return self.recently_played(query)
        if parts[1] in ("tracks", "artists"):
            table = tracks if parts[1] == "tracks" else artists
            if len(parts) == 3:
                item = table.get(parts[2])
                return self.send_json(200, item) if item else self.send_json(404, {"error": {"status": 404, "message": "Non existing id"}})
            if gone:
                return self.send_json(403, {"error": {"status": 403, "message": "Forbidden"}})
            ids = [i for i in query.get("ids", "").split(",") if i]
            return self.send_json(200, {parts[1]: [table.get(i) for i in ids]})
        if path in ("/v1/me/top/artists", "/v1/me/top/tracks"):
            items = list((artists if path.endswith("artists") else tracks).values())
            limit, offset = int(query.get("limit", 20)), int(query.get("offset", 0))
            return self.send_json(200, {"items": items[offset:offset + limit], "total": len(items), "limit": limit,
                                        "offset": offset, "next": None, "previous": None, "href": path})
        if path == "/v1/search":
            text = query.get("q", "").lower()
            limit = int(query.get("limit", 10))
            answer = {}
            for kind in query.get("type", "track").split(","):
                table = tracks if kind == "track" else artists
                found = [item for item in table.values() if text in item["name"].lower()][:limit]
                answer[kind + "s"] = {"items": found, "total": len(found), "limit": limit, "offset": 0, "next": None}
            return self.send_json(200, answer)
        self.send_json(404, {"error": {"status": 404, "message": "Service not found"}})

    def recently_played(self, query):
        limit = int(query.get("limit", 20))
        if not 1 <= limit <= 50 or ("after" in query and "before" in query):
            return self.send_json(400, {"error": {"status": 400, "message": "Bad limit or both cursors"}})
        reachable = sorted(STATE.timeline, key=lambda p: p["played_at"])[-REACHABLE_PLAYS:]
        if "before" in query:
            window = [p for p in reachable if p["played_at"] < int(query["before"])][-limit:]
        elif "after" in query:
            window = [p for p in reachable if p["played_at"] > int(query["after"])][:limit]
        else:
            window = reachable[-limit:]
        window.reverse()
        items = []
        for play in window:
            entry = shape("play_history")
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(play["played_at"] // 1000))
            entry.update(track=STATE.tracks[play["track_id"]], played_at=f"{stamp}.{play['played_at'] % 1000:03d}Z")
            items.append(entry)
        cursors = {"after": str(window[0]["played_at"]), "before": str(window[-1]["played_at"])} if window else None
        older = window and any(p["played_at"] < window[-1]["played_at"] for p in reachable)
        base = "https://api.spotify.com/v1/me/player/recently-played"
        self.send_json(200, {"items": items, "next": f"{base}?before={cursors['before']}&limit={limit}" if older else None,
                             "cursors": cursors, "limit": limit, "href": f"{base}?limit={limit}"})

    # Control --------------------------------------------------------------------------------

    def control(self, method, path, body):
        data = json.loads(body or b"{}")
        with STATE.lock:
            if path == "/_control/reset":
                STATE.reset()
            elif path == "/_control/config":
                STATE.config.update(data)
            elif path == "/_control/timeline":
                STATE.timeline = data["plays"]
            elif path == "/_control/faults":
                STATE.faults = copy.deepcopy(data["faults"])
            elif path == "/_control/revoke":
                STATE.refresh_tokens.clear()
            elif path == "/_control/requests" and method == "GET":
                return self.send_json(200, {"requests": STATE.requests})
            elif path == "/_control/requests/clear":
                STATE.requests = []
            else:
                return self.send_json(404, {"error": "no such control"})
        self.send_json(200, {"ok": True})

    # Output ---------------------------------------------------------------------------------

    def send_json(self, status, value, headers=None):
        self.send_raw(status, json.dumps(value, ensure_ascii=False).encode(), "application/json; charset=utf-8", headers)

    def send_raw(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        pathlib.Path(args.port_file).write_text(f"{port}\n")
    print(f"listening on http://127.0.0.1:{port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))  # nothing to flush: all state is in memory
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
