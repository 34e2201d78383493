<#
.SYNOPSIS
    Collects, read-only, every file relaycheck reads into one folder.

.DESCRIPTION
    Run it in each PowerShell session you have: Exchange Online (Connect-ExchangeOnline),
    Microsoft Graph (Connect-MgGraph -Scopes Domain.Read.All) and the Exchange Management
    Shell on premises. Each run writes the parts its session can read into the same folder
    and says which parts it skipped and why. Then:

        relaycheck check --from <the folder>

    The script only reads: it calls Get- cmdlets, ConvertTo-Json, Export-Clixml and Out-File,
    and creates its own folder. It never exports a private key: Get-ExchangeCertificate
    returns the certificates themselves (RawData), and HasPrivateKey only says whether the
    server holds the key. It connects to nothing: connect first, then run it.

    Files (docs/collect-data.md):
      Exchange Online:  accepted-domains.json, inbound-connectors.json,
                        outbound-connectors.json, organization-config.json
      Microsoft Graph:  domain-status.json
      Exchange Server:  send-connectors.json, receive-connectors.json,
                        hybrid-configuration.json,
                        exchange-certificates.xml (every transport server)
      This script:      collect-log.txt

.PARAMETER OutputFolder
    The folder to write into (created when missing). Default: relaycheck-data in the
    current folder.

.EXAMPLE
    .\Collect-RelayCheckData.ps1 -OutputFolder C:\Temp\relaycheck-data
#>
[CmdletBinding()]
param(
    [string]$OutputFolder = (Join-Path -Path (Get-Location).Path -ChildPath "relaycheck-data")
)

$ErrorActionPreference = "Stop"
$script:Lines = @()

function Write-Line {
    param([string]$Text)
    Write-Host $Text
    $script:Lines += $Text
}

function Save-Json {
    param([string]$Name, $Data)
    $path = Join-Path -Path $OutputFolder -ChildPath $Name
    ConvertTo-Json -InputObject @($Data) -Depth 6 | Out-File -FilePath $path -Encoding utf8
    Write-Line "  wrote $Name"
}

function Test-Command {
    param([string]$Name)
    return [bool](Get-Command -Name $Name -ErrorAction SilentlyContinue)
}

# Get-AcceptedDomain and Get-OrganizationConfig exist on premises too: read them only when
# they come from the same module as the Exchange Online cmdlets.
function Test-SameModule {
    param([string]$Name, [string]$Like)
    $a = Get-Command -Name $Name -ErrorAction SilentlyContinue
    $b = Get-Command -Name $Like -ErrorAction SilentlyContinue
    return ($a -and $b -and $a.ModuleName -eq $b.ModuleName)
}

if (-not (Test-Path -LiteralPath $OutputFolder -PathType Container)) {
    $null = New-Item -ItemType Directory -Path $OutputFolder
}
Write-Line "relaycheck data collection into $OutputFolder"

# --- Exchange Online --------------------------------------------------------------------
Write-Line "Exchange Online:"
if (Test-Command "Get-InboundConnector") {
    try {
        if (Test-SameModule "Get-AcceptedDomain" "Get-InboundConnector") {
            $domains = Get-AcceptedDomain | Select-Object DomainName, DomainType, Default, InitialDomain, MatchSubDomains
            Save-Json "accepted-domains.json" $domains
        } else {
            Write-Line "  skipped accepted-domains.json: Get-AcceptedDomain is the on-premises one in this session; run the script again in an Exchange Online session of its own"
        }
        $inbound = Get-InboundConnector | Select-Object Name, Enabled, ConnectorType, ConnectorSource, SenderIPAddresses, SenderDomains, RequireTls, RestrictDomainsToCertificate, CloudServicesMailEnabled, TlsSenderCertificateName
        Save-Json "inbound-connectors.json" $inbound
        $outbound = Get-OutboundConnector | Select-Object Name, Enabled, ConnectorType, ConnectorSource, UseMXRecord, SmartHosts, TlsDomain, TlsSettings, RecipientDomains
        Save-Json "outbound-connectors.json" $outbound
        if (Test-SameModule "Get-OrganizationConfig" "Get-InboundConnector") {
            $organization = Get-OrganizationConfig | Select-Object Name, RejectDirectSend
            Save-Json "organization-config.json" $organization
        } else {
            Write-Line "  skipped organization-config.json: Get-OrganizationConfig is the on-premises one in this session"
        }
    } catch {
        Write-Line "  stopped: $($_.Exception.Message)"
    }
} else {
    Write-Line "  skipped: not connected (Install-Module ExchangeOnlineManagement; Connect-ExchangeOnline)"
}

# --- Microsoft Graph --------------------------------------------------------------------
Write-Line "Microsoft Graph:"
if (-not (Test-Command "Get-MgDomain")) {
    Write-Line "  skipped: the module Microsoft.Graph.Identity.DirectoryManagement is not loaded"
} elseif (-not (Get-MgContext)) {
    Write-Line "  skipped: not connected (Connect-MgGraph -Scopes Domain.Read.All)"
} else {
    try {
        $status = Get-MgDomain -All | Select-Object Id, IsVerified, IsDefault, IsInitial
        Save-Json "domain-status.json" $status
    } catch {
        Write-Line "  stopped: $($_.Exception.Message)"
    }
}

# --- Exchange Server (Exchange Management Shell) ----------------------------------------
Write-Line "Exchange Server:"
if (Test-Command "Get-SendConnector") {
    try {
        $send = Get-SendConnector | Select-Object Name, Identity, Enabled, AddressSpaces, SmartHosts, DNSRoutingEnabled, RequireTLS, TlsAuthLevel, TlsDomain, TlsCertificateName, CloudServicesMailEnabled, SourceTransportServers, Fqdn, Port
        Save-Json "send-connectors.json" $send
        $receive = Get-ReceiveConnector | Select-Object Name, Identity, Server, TransportRole, Enabled, Fqdn, Bindings, RequireTLS, TlsCertificateName, TlsDomainCapabilities, AuthMechanism, PermissionGroups
        Save-Json "receive-connectors.json" $receive
        $hybrid = Get-HybridConfiguration | Select-Object OnPremisesSmartHost, TlsCertificateName, Domains, Features, SendingTransportServers, ReceivingTransportServers
        if ($hybrid) {
            Save-Json "hybrid-configuration.json" $hybrid
        } else {
            Write-Line "  skipped hybrid-configuration.json: Get-HybridConfiguration returned nothing (HCW has not run)"
        }
        $servers = @(Get-ExchangeServer | Where-Object { ($_.IsHubTransportServer -or $_.IsFrontendTransportServer) -and -not $_.IsEdgeServer })
        $certificates = @()
        foreach ($server in $servers) {
            try {
                $certificates += @(Get-ExchangeCertificate -Server $server.Name)
                Write-Line "  read the certificates of $($server.Name)"
            } catch {
                Write-Line "  skipped the certificates of $($server.Name): $($_.Exception.Message)"
            }
        }
        if ($certificates.Count -gt 0) {
            # Export-Clixml keeps RawData (the certificate, never its key) and Services.
            $certificates | Export-Clixml -Path (Join-Path -Path $OutputFolder -ChildPath "exchange-certificates.xml")
            Write-Line "  wrote exchange-certificates.xml"
        } else {
            Write-Line "  skipped exchange-certificates.xml: no transport server's certificates could be read"
        }
    } catch {
        Write-Line "  stopped: $($_.Exception.Message)"
    }
} else {
    Write-Line "  skipped: not in the Exchange Management Shell"
}

$script:Lines | Out-File -FilePath (Join-Path -Path $OutputFolder -ChildPath "collect-log.txt") -Encoding utf8 -Append
Write-Host "Done. Next: relaycheck check --from `"$OutputFolder`""
