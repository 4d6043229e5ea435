"""Runs python-plexapi's own sign-in classes (MyPlexPinLogin, MyPlexResource) against the simulator's plex.tv
stand-in, unmodified except for the plex.tv addresses they are pointed at.

    PYTHONPATH=/tmp/plexapi python3 tests/python/plexapi_plextv.py <simulator url> <simulator token>

The simulator's token is only used for its control API (approving the PIN as the person would). Exits 0 when
every check passes, 1 otherwise.
"""
import sys
import traceback
from xml.etree import ElementTree

import requests
from plexapi import BASE_HEADERS
from plexapi.myplex import MyPlexPinLogin, MyPlexResource

failures = []
passed = []


def check(name, condition, detail=''):
    (passed if condition else failures).append(name)
    print(f"{'ok  ' if condition else 'FAIL'} {name}{'' if condition else ' — ' + str(detail)}")


class Account:
    """What MyPlexResource needs of the account it came from: a requests session to connect with."""
    _session = requests.Session()


def main(base, sim_token):
    MyPlexPinLogin.PINS = f'{base}/api/v2/pins'
    MyPlexPinLogin.CHECKPINS = f'{base}/api/v2/pins/{{pinid}}'

    login = MyPlexPinLogin(oauth=True)
    check('a strong PIN is created', bool(login._id) and len(login._code or '') == 25, (login._id, login._code))
    check('the auth URL carries the code', f'code={login._code}' in login.oauthUrl())
    check('no token before approval', login.checkLogin() is False and not login.expired and login.token is None)

    approved = requests.post(f'{base}/__sim/plextv/approve', params={'code': login._code}, headers={'X-Plex-Token': sim_token})
    check('the control API approves the PIN', approved.status_code == 200, approved.status_code)
    check('the token after approval', login.checkLogin() is True and bool(login.token))

    unknown = MyPlexPinLogin(oauth=True)
    unknown._id = '999999999'
    check('an unknown PIN counts as expired', unknown.checkLogin() is False and unknown.expired)

    headers = {**BASE_HEADERS, 'X-Plex-Token': login.token}
    answer = requests.get(f'{base}/api/v2/resources?includeHttps=1&includeRelay=1', headers=headers)
    check('resources answer XML', answer.ok and answer.text.lstrip().startswith('<?xml'), answer.text[:80])
    resources = [MyPlexResource(Account(), elem) for elem in ElementTree.fromstring(answer.text)]
    servers = [r for r in resources if 'server' in r.provides.split(',')]
    check('one server among the devices', len(resources) == 2 and len(servers) == 1, [r.name for r in resources])
    server = servers[0]
    check('the server has its own access token', server.accessToken == sim_token)
    check('the server is owned and present', server.owned and server.presence)
    kinds = [('relay' if c.relay else 'local' if c.local else 'remote') for c in server.connections]
    check('local, remote and relay connections', kinds == ['local', 'remote', 'relay'], kinds)
    local = server.preferred_connections(locations=['local'])
    check('the local connection is the simulator', local and all(u == base for u in local), local)

    plex = server.connect(timeout=5, locations=['local'])
    check('python-plexapi connects to the server it lists', plex.machineIdentifier == server.clientIdentifier, plex.machineIdentifier)

    refused = requests.get(f'{base}/api/v2/resources', headers={**BASE_HEADERS, 'X-Plex-Token': 'not-a-token'})
    check('resources refuse a token plex.tv did not issue', refused.status_code == 401, refused.status_code)


if __name__ == '__main__':
    try:
        main(sys.argv[1].rstrip('/'), sys.argv[2])
    except Exception as exc:  # noqa: BLE001 - report as a failure
        failures.append('run')
        print(f'FAIL run raised {exc.__class__.__name__}: {exc}')
        traceback.print_exc()
    print(f'{len(passed)} passed, {len(failures)} failed')
    sys.exit(1 if failures else 0)
